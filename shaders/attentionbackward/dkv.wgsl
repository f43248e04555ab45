// Attention backward, step 2 of 3: dK and dV, FlashAttention-2 style with recomputation. A
// workgroup owns B keys of one head (one invocation per key row j, holding k_j, v_j and its dK,
// dV accumulators in registers) and walks the query blocks that can see them (under the causal
// mask, only blocks at or below the diagonal). Each query block's Q and dO rows, lse and delta
// are staged in workgroup memory; per (i, j) the invocation recomputes
//   p = exp(scale·q_i·k_j − lse_i),  dp = dO_i·v_j,  ds = p·(dp − delta_i)
// and adds p·dO_i to dV and scale·ds·q_i to dK. P is never stored: O(n·d) memory, like the
// forward (flash.wgsl), whose O and lse this takes.
// Why recomputation and a separate dQ kernel (dq.wgsl) rather than FA-2's single pass: FA-2 adds
// each block's dQ contribution with atomics; WGSL has no float atomics, and a sum whose order
// depends on scheduling would break the trainer's bit-identical resume. Recomputing S and dP a
// second time, in a kernel that owns dQ rows, costs ~40% more arithmetic but every output is one
// invocation's sum in a fixed order. The textbook alternative (store P, dP) would need two N×N
// buffers per head and four matmul passes.
// Loads: each key's k and v once; per visited query block, its Q and dO rows, lse and delta.
// Stores: each key's dK and dV once.
override B: u32 = 32;
const D: u32 = 64u;

struct Params {
  bh: u32,
  n: u32,
  causal: u32,
  scale: f32,
  // Equal to D: the loops over a row's D values end here, a run-time bound (a constant one is
  // unrolled by lazily compiling drivers, see src/kernels/loops.ts).
  d: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> Q: array<f32>;
@group(0) @binding(2) var<storage, read> K: array<f32>;
@group(0) @binding(3) var<storage, read> V: array<f32>;
@group(0) @binding(4) var<storage, read> dO: array<f32>;
@group(0) @binding(5) var<storage, read> LSE: array<f32>;
@group(0) @binding(6) var<storage, read> delta: array<f32>;
@group(0) @binding(7) var<storage, read_write> dK: array<f32>;
@group(0) @binding(8) var<storage, read_write> dV: array<f32>;

var<workgroup> q_sh: array<f32, B * D>;
var<workgroup> do_sh: array<f32, B * D>;
var<workgroup> lse_sh: array<f32, B>;
var<workgroup> delta_sh: array<f32, B>;

@compute @workgroup_size(B)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = P.n;
  let kb = wg.x;
  let h = wg.y;
  let base = h * n * D;
  let j = kb * B + lid;
  let live = j < n;
  var kj: array<f32, D>;
  var vj: array<f32, D>;
  var dk: array<f32, D>;
  var dv: array<f32, D>;
  if (live) {
    for (var c = 0u; c < P.d; c++) {
      kj[c] = K[base + j * D + c];
      vj[c] = V[base + j * D + c];
    }
    count_read(8u * D);
  }
  let blocks = (n + B - 1u) / B;
  // Under the causal mask query i sees key j only when i ≥ j: blocks before this one see none.
  var first = 0u;
  if (P.causal != 0u) {
    first = kb;
  }
  for (var qb = first; qb < blocks; qb++) {
    let q0 = qb * B;
    for (var e = lid; e < B * D; e += B) {
      let r = q0 + e / D;
      var qv = 0.0;
      var dov = 0.0;
      if (r < n) {
        qv = Q[base + r * D + e % D];
        dov = dO[base + r * D + e % D];
        count_read(8u);
      }
      q_sh[e] = qv;
      do_sh[e] = dov;
    }
    if (q0 + lid < n) {
      lse_sh[lid] = LSE[h * n + q0 + lid];
      delta_sh[lid] = delta[h * n + q0 + lid];
      count_read(8u);
    }
    workgroupBarrier();
    if (live) {
      let rows = min(B, n - q0);
      for (var t = 0u; t < rows; t++) {
        if (P.causal != 0u && q0 + t < j) {
          continue;
        }
        var s = 0.0;
        var dp = 0.0;
        for (var c = 0u; c < P.d; c++) {
          s += q_sh[t * D + c] * kj[c];
          dp += do_sh[t * D + c] * vj[c];
        }
        let p = exp(s * P.scale - lse_sh[t]);
        let ds = p * (dp - delta_sh[t]) * P.scale;
        for (var c = 0u; c < P.d; c++) {
          dv[c] += p * do_sh[t * D + c];
          dk[c] += ds * q_sh[t * D + c];
        }
      }
    }
    workgroupBarrier();
  }
  if (live) {
    for (var c = 0u; c < P.d; c++) {
      dK[base + j * D + c] = dk[c];
      dV[base + j * D + c] = dv[c];
    }
    count_write(8u * D);
  }
  flush_counts();
}
