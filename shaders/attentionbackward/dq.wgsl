// Attention backward, step 3 of 3: dQ. A workgroup owns B query rows of one head (one invocation
// per row i, holding q_i, dO_i, lse_i, delta_i and its dQ accumulator in registers) and walks the
// key blocks the row block can see (under the causal mask, up to the diagonal), staging each
// block's K and V rows in workgroup memory. Per (i, j) it recomputes p and dp as dkv.wgsl does
// and adds scale·p·(dp − delta_i)·k_j to dQ: one invocation owns each dQ row, so the sum over
// keys has one fixed order (no atomics; see dkv.wgsl for why this is a kernel of its own).
// Loads: each query's q, dO, lse and delta once; per visited key block, its K and V rows.
// Stores: each query's dQ once.
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
@group(0) @binding(7) var<storage, read_write> dQ: array<f32>;

var<workgroup> k_sh: array<f32, B * D>;
var<workgroup> v_sh: array<f32, B * D>;

@compute @workgroup_size(B)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = P.n;
  let qb = wg.x;
  let h = wg.y;
  let base = h * n * D;
  let i = qb * B + lid;
  let live = i < n;
  var qi: array<f32, D>;
  var doi: array<f32, D>;
  var dq: array<f32, D>;
  var lse_i = 0.0;
  var delta_i = 0.0;
  if (live) {
    for (var c = 0u; c < P.d; c++) {
      qi[c] = Q[base + i * D + c];
      doi[c] = dO[base + i * D + c];
    }
    lse_i = LSE[h * n + i];
    delta_i = delta[h * n + i];
    count_read(8u * D + 8u);
  }
  // Key blocks this row block can see: all, or under the causal mask those up to its last row.
  var blocks = (n + B - 1u) / B;
  if (P.causal != 0u) {
    blocks = (min(n, qb * B + B) - 1u) / B + 1u;
  }
  for (var kb = 0u; kb < blocks; kb++) {
    let k0 = kb * B;
    for (var e = lid; e < B * D; e += B) {
      let r = k0 + e / D;
      var kv = 0.0;
      var vv = 0.0;
      if (r < n) {
        kv = K[base + r * D + e % D];
        vv = V[base + r * D + e % D];
        count_read(8u);
      }
      k_sh[e] = kv;
      v_sh[e] = vv;
    }
    workgroupBarrier();
    if (live) {
      var cols = min(B, n - k0);
      if (P.causal != 0u) {
        cols = min(cols, i + 1u - min(i + 1u, k0));
      }
      for (var t = 0u; t < cols; t++) {
        var s = 0.0;
        var dp = 0.0;
        for (var c = 0u; c < P.d; c++) {
          s += qi[c] * k_sh[t * D + c];
          dp += doi[c] * v_sh[t * D + c];
        }
        let p = exp(s * P.scale - lse_i);
        let ds = p * (dp - delta_i) * P.scale;
        for (var c = 0u; c < P.d; c++) {
          dq[c] += ds * k_sh[t * D + c];
        }
      }
    }
    workgroupBarrier();
  }
  if (live) {
    for (var c = 0u; c < P.d; c++) {
      dQ[base + i * D + c] = dq[c];
    }
    count_write(4u * D);
  }
  flush_counts();
}
