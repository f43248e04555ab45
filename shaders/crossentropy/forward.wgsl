// Softmax cross-entropy forward, per row of logits [rows, V]: lse = log Σ_v exp(logit_v) and
// loss = lse − logit[target] (0 for a row whose target is IGNORE = 0xFFFFFFFF).
// One workgroup per row. Each invocation walks its strided share of the row once, keeping an
// online-softmax pair (running max m, Σ exp(x − m)), so the row is read from global memory once;
// the WG pairs are then merged in a fixed tree (m = max, s = s_a·e^(m_a−m) + s_b·e^(m_b−m)), the
// same order every run. Invocation 0 reads the target and its logit (logit 0 for an ignored row,
// so the traffic does not depend on the data) and writes the row's loss and lse.
// The mean over scored rows is mean.wgsl's, a second dispatch.
override WG: u32 = 64;
const IGNORE: u32 = 0xFFFFFFFFu;
const NEG_BIG: f32 = -3.0e38;

struct Params {
  rows: u32,
  vocab: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<u32>;
@group(0) @binding(3) var<storage, read_write> losses: array<f32>;
@group(0) @binding(4) var<storage, read_write> lse: array<f32>;

var<workgroup> red_m: array<f32, WG>;
var<workgroup> red_s: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = wg.x + wg.y * nwg.x;
  if (r >= P.rows) {
    return;
  }
  let V = P.vocab;
  let o = r * V;
  var m = NEG_BIG;
  var s = 0.0;
  for (var v = lid; v < V; v += WG) {
    let x = logits[o + v];
    let mn = max(m, x);
    s = s * exp(m - mn) + exp(x - mn);
    m = mn;
    count_read(4u);
  }
  red_m[lid] = m;
  red_s[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k /= 2u) {
    if (lid < k) {
      let ma = red_m[lid];
      let mb = red_m[lid + k];
      let mn = max(ma, mb);
      red_s[lid] = red_s[lid] * exp(ma - mn) + red_s[lid + k] * exp(mb - mn);
      red_m[lid] = mn;
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let l = red_m[0] + log(red_s[0]);
    let t = targets[r];
    let scored = t != IGNORE;
    let x = logits[o + select(0u, min(t, V - 1u), scored)];
    losses[r] = select(0.0, l - x, scored);
    lse[r] = l;
    count_read(8u);
    count_write(8u);
  }
  flush_counts();
}
