// Softmax cross-entropy, the batch's mean loss: stats[0] = Σ losses / scored, stats[1] = scored
// (rows whose target is not IGNORE), as a float. One workgroup: each invocation sums a strided
// share of the rows, then a fixed tree merges the WG partial sums and counts, so the mean is the
// same bits on every run. The backward reads stats[1] to scale its gradient by 1/scored.
override WG: u32 = 256;
const IGNORE: u32 = 0xFFFFFFFFu;

struct Params {
  rows: u32,
  vocab: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> losses: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<u32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;

var<workgroup> red_l: array<f32, WG>;
var<workgroup> red_n: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var l = 0.0;
  var n = 0u;
  for (var r = lid; r < P.rows; r += WG) {
    l += losses[r];
    n += select(0u, 1u, targets[r] != IGNORE);
    count_read(8u);
  }
  red_l[lid] = l;
  red_n[lid] = n;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k /= 2u) {
    if (lid < k) {
      red_l[lid] += red_l[lid + k];
      red_n[lid] += red_n[lid + k];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let scored = red_n[0];
    stats[0] = select(0.0, red_l[0] / f32(scored), scored > 0u);
    stats[1] = f32(scored);
    count_write(8u);
  }
  flush_counts();
}
