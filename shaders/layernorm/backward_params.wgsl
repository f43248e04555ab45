// LayerNorm backward, parameter gradients: dgamma[c] = Σ_rows dy·x̂ and dbeta[c] = Σ_rows dy, with
// x̂ = (x − mean)·rstd. Workgroup (x, y) owns WG columns of row chunk y (WG rows): each invocation
// loads one of the chunk's rows' mean and rstd into workgroup memory (read once per workgroup, not
// once per column), then walks its column down the chunk in row order and writes one partial sum
// of each (dg_out[y][c], db_out[y][c]). With more than one chunk the host adds the partials with
// the column-sum kernel (shaders/linear/bias_grad.wgsl), again in a fixed order; with one chunk
// they are dgamma and dbeta themselves. No atomics: the same bits every run. Neighbouring
// invocations read neighbouring columns of dy and x (coalesced).
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
@group(0) @binding(5) var<storage, read_write> dg_out: array<f32>;
@group(0) @binding(6) var<storage, read_write> db_out: array<f32>;

var<workgroup> mean_sh: array<f32, WG>;
var<workgroup> rstd_sh: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let C = P.cols;
  let c = wg.x * WG + lid;
  let r0 = wg.y * WG;
  if (r0 + lid < P.rows) {
    mean_sh[lid] = mean[r0 + lid];
    rstd_sh[lid] = rstd[r0 + lid];
    count_read(8u);
  }
  workgroupBarrier();
  if (c < C) {
    var dg = 0.0;
    var db = 0.0;
    let end = min(WG, P.rows - r0);
    for (var k = 0u; k < end; k++) {
      let i = (r0 + k) * C + c;
      let d = dy[i];
      dg += d * (x[i] - mean_sh[k]) * rstd_sh[k];
      db += d;
    }
    count_read(8u * end);
    dg_out[wg.y * C + c] = dg;
    db_out[wg.y * C + c] = db;
    count_write(8u);
  }
  flush_counts();
}
