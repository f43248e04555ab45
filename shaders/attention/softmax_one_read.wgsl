// Textbook attention (Dao et al. 2022, Algorithm 0), pass 2 of 3: P = softmax(S) row by row with
// every score read from global memory exactly once, as the workbench's "row softmax in one read"
// exercise teaches. One workgroup per row: invocation t holds scores t, t+WG, t+2·WG, ... of its
// row in registers (PER of them), so the maximum, the sum of exp and the normalised write all work
// from registers; the row max and sum are tree reductions in workgroup memory. Consecutive
// invocations touch consecutive scores, so every read and write is coalesced.
// The causal mask is applied here (masked_fill then softmax, as a framework does): the scores pass
// computed every score, masked or not. The softmax scale was already applied by the scores pass.
// PER = ⌈N / WG⌉ is a const (private arrays need a size fixed at module creation), set by
// specialise() (src/kernels/specialise.ts). WG is a power of two for the tree reduction.
// Global loads and stores are counted with count_read/count_write (shaders/common/counters.wgsl).
override WG: u32 = 256;
const PER: u32 = 4u;

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

  // The one read: each score into a register, masked scores as -inf-like.
  var x: array<f32, PER>;
  var m = NEG_BIG;
  for (var c = 0u; c < PER; c++) {
    let j = t + c * WG;
    var s = NEG_BIG;
    if (live && j < n) {
      s = S[base + j];
      count_read(4u);
      if (!visible(j, i)) {
        s = NEG_BIG;
      }
    }
    x[c] = s;
    m = max(m, s);
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
  // Everyone has read red[0] before it is reused for the sum.
  workgroupBarrier();

  var l = 0.0;
  for (var c = 0u; c < PER; c++) {
    let j = t + c * WG;
    var e = 0.0;
    if (live && j < n && visible(j, i)) {
      e = exp(x[c] - rowMax);
    }
    x[c] = e;
    l += e;
  }
  red[t] = l;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (t < stride) {
      red[t] += red[t + stride];
    }
    workgroupBarrier();
  }
  let inv = 1.0 / red[0];

  if (live) {
    for (var c = 0u; c < PER; c++) {
      let j = t + c * WG;
      if (j < n) {
        Pm[base + j] = x[c] * inv;
        count_write(4u);
      }
    }
  }
  flush_counts();
}
