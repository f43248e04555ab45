// LayerNorm backward, parameter gradients: dgamma[c] = Σ_rows dy·x̂ and dbeta[c] = Σ_rows dy, with
// x̂ = (x − mean)·rstd. One invocation per column, WG columns per workgroup, each summing its
// column over every row in row order: a fixed order with no atomics, so the sums are the same
// bits on every run. Rows are walked in chunks of WG: each invocation loads one row's mean and
// rstd into workgroup memory, so those are read once per workgroup rather than once per column.
// Neighbouring invocations read neighbouring columns of dy and x (coalesced).
override WG: u32 = 64;

struct Params {
  rows: u32,
  cols: u32,
  eps: f32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> rstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(6) var<storage, read_write> dbeta: array<f32>;

var<workgroup> mean_sh: array<f32, WG>;
var<workgroup> rstd_sh: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let C = P.cols;
  let c = wg.x * WG + lid;
  var dg = 0.0;
  var db = 0.0;
  for (var r0 = 0u; r0 < P.rows; r0 += WG) {
    if (r0 + lid < P.rows) {
      mean_sh[lid] = mean[r0 + lid];
      rstd_sh[lid] = rstd[r0 + lid];
      count_read(8u);
    }
    workgroupBarrier();
    if (c < C) {
      let end = min(WG, P.rows - r0);
      for (var k = 0u; k < end; k++) {
        let i = (r0 + k) * C + c;
        let d = dy[i];
        dg += d * (x[i] - mean_sh[k]) * rstd_sh[k];
        db += d;
      }
      count_read(8u * end);
    }
    workgroupBarrier();
  }
  if (c < C) {
    dgamma[c] = dg;
    dbeta[c] = db;
    count_write(8u);
  }
  flush_counts();
}
