// LayerNorm backward, input gradient: for each row, with x̂ = (x − mean)·rstd and g = dy·gamma,
//   dx = rstd·(g − mean(g) − x̂·mean(g·x̂)).
// One workgroup per row, as the forward: invocation 0 loads the row's mean and rstd into
// workgroup memory; the WG invocations stride over the columns, reading dy, x and gamma once each,
// keep g and x̂ in workgroup memory for the second sweep, and reduce Σg and Σg·x̂ in a fixed tree
// (deterministic). dgamma and dbeta, sums over rows, are backward_params.wgsl's: summing them here
// would need float atomics or a rows × cols scratch buffer.
override WG: u32 = 64;
const ROW: u32 = 256u;

struct Params {
  rows: u32,
  cols: u32,
  eps: f32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> gamma: array<f32>;
@group(0) @binding(4) var<storage, read> mean: array<f32>;
@group(0) @binding(5) var<storage, read> rstd: array<f32>;
@group(0) @binding(6) var<storage, read_write> dx: array<f32>;

var<workgroup> g_sh: array<f32, ROW>;
var<workgroup> xh_sh: array<f32, ROW>;
var<workgroup> red: array<f32, WG>;
var<workgroup> stats: vec2<f32>;

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
  if (lid == 0u) {
    stats = vec2<f32>(mean[r], rstd[r]);
    count_read(8u);
  }
  let st = workgroupUniformLoad(&stats);
  var sg = 0.0;
  var sgx = 0.0;
  for (var c = lid; c < C; c += WG) {
    let xh = (x[o + c] - st.x) * st.y;
    let g = dy[o + c] * gamma[c];
    count_read(12u);
    xh_sh[c] = xh;
    g_sh[c] = g;
    sg += g;
    sgx += g * xh;
  }
  let mg = workgroup_sum(lid, sg) / f32(C);
  let mgx = workgroup_sum(lid, sgx) / f32(C);
  for (var c = lid; c < C; c += WG) {
    dx[o + c] = st.y * (g_sh[c] - mg - xh_sh[c] * mgx);
    count_write(4u);
  }
  flush_counts();
}
