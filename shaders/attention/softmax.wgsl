// Standard attention, pass 2 of 3: P = softmax(S) row by row, numerically stable: subtract the row
// maximum before exp so that scores of ~1000 do not overflow (exp(89) is already past f32's range).
// One workgroup per row makes three sweeps over the row in global memory: maximum, sum of exp, and
// normalise-and-write. Those re-reads of an N-wide row are exactly the traffic FlashAttention removes.
override WG: u32 = 64;

struct Params {
  bh: u32,
  n: u32,
  d: u32,
  causal: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> S: array<f32>;
@group(0) @binding(2) var<storage, read_write> Pm: array<f32>;

var<workgroup> red: array<f32, WG>;

const NEG_BIG: f32 = -3.0e38;

fn visible(j: u32, i: u32) -> bool {
  return P.causal == 0u || j <= i;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let n = P.n;
  // Rows can outnumber 65535 workgroups per dimension, so the grid is 2-D.
  let rowId = wg.x + wg.y * nwg.x;
  let live = rowId < P.bh * n;
  let i = rowId % n;
  let base = rowId * n;

  var m = NEG_BIG;
  if (live) {
    for (var j = t; j < n; j += WG) {
      let s = S[base + j];
      count_read(4u);
      if (visible(j, i)) {
        m = max(m, s);
      }
    }
  }
  red[t] = m;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (t < stride) {
      red[t] = max(red[t], red[t + stride]);
    }
    workgroupBarrier();
  }
  let rowMax = red[0];
  workgroupBarrier();

  var l = 0.0;
  if (live) {
    for (var j = t; j < n; j += WG) {
      let s = S[base + j];
      count_read(4u);
      if (visible(j, i)) {
        l += exp(s - rowMax);
      }
    }
  }
  red[t] = l;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (t < stride) {
      red[t] += red[t + stride];
    }
    workgroupBarrier();
  }
  let rowSum = red[0];

  if (live) {
    for (var j = t; j < n; j += WG) {
      let s = S[base + j];
      count_read(4u);
      var p = 0.0;
      if (visible(j, i)) {
        p = exp(s - rowMax) / rowSum;
      }
      Pm[base + j] = p;
      count_write(4u);
    }
  }
  flush_counts();
}
