// LayerNorm forward: y = (x − mean)·rstd·gamma + beta over each row of x [rows, cols], also
// writing each row's mean and rstd = 1/√(var + eps) for the backward pass (llm.c's layernorm
// forward does the same). One workgroup per row: the WG invocations stride over the row's
// columns, read x once into workgroup memory (so the mean, the variance and the output all come
// from one global read), and combine their partial sums in a fixed tree, so every run adds in the
// same order: deterministic, bit for bit. The variance is Σ(x − mean)²/C from the cached row (two
// passes over workgroup memory, not E[x²] − mean², which cancels badly).
// Each invocation loads its columns of x, gamma and beta once and stores its columns of y;
// invocation 0 stores mean and rstd. Counted with count_read/count_write (layerNormForwardCost).
override WG: u32 = 64;
// Columns of one row, set by specialise() to cols (workgroup arrays need a fixed size).
const ROW: u32 = 256u;

struct Params {
  rows: u32,
  cols: u32,
  eps: f32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> mean: array<f32>;
@group(0) @binding(6) var<storage, read_write> rstd: array<f32>;

var<workgroup> row_sh: array<f32, ROW>;
var<workgroup> red: array<f32, WG>;

// Sum of v over the workgroup, in a fixed tree order (WG is a power of two).
fn workgroup_sum(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (lid < s) {
      red[lid] += red[lid + s];
    }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = wg.x + wg.y * nwg.x;
  if (r >= P.rows) {
    return;
  }
  let C = P.cols;
  let o = r * C;
  var s = 0.0;
  for (var c = lid; c < C; c += WG) {
    let v = x[o + c];
    row_sh[c] = v;
    s += v;
    count_read(4u);
  }
  let mu = workgroup_sum(lid, s) / f32(C);
  var q = 0.0;
  for (var c = lid; c < C; c += WG) {
    let d = row_sh[c] - mu;
    q += d * d;
  }
  let rs = inverseSqrt(workgroup_sum(lid, q) / f32(C) + P.eps);
  for (var c = lid; c < C; c += WG) {
    y[o + c] = (row_sh[c] - mu) * rs * gamma[c] + beta[c];
    count_read(8u);
    count_write(4u);
  }
  if (lid == 0u) {
    mean[r] = mu;
    rstd[r] = rs;
    count_write(8u);
  }
  flush_counts();
}
