// Attention forward for training at any head dimension up to 128: O = softmax(scale·Q·Kᵀ (causal
// mask)) · V and lse = log Σ exp(scale·q·k) per row, in the [bh, n, d] layout. The playground's
// tiled kernel (shaders/attention/flash.wgsl, vec4 register tiles) compiles only d = 32, 64, 128;
// a small GPT (d_model 32–256 over a few heads) has head dimensions like 8 or 16, so this is the
// same online-softmax algorithm written plainly, and createAttentionForward uses flash.wgsl where
// it can. A workgroup owns B query rows of one head (one invocation per row: q, the running max
// m, sum l and the output accumulator in registers) and walks the key blocks the rows can see,
// staging each block's K and V rows in workgroup memory. Per key: m' = max(m, s), rescale by
// exp(m − m'), add exp(s − m')·v. Everything per row is one invocation's, in key order:
// deterministic. Loads: q once per row; per visited key block, its K and V rows. Stores: O and lse.
override B: u32 = 32;
const D: u32 = 64u;
const NEG_BIG: f32 = -3.0e38;

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
@group(0) @binding(4) var<storage, read_write> O: array<f32>;
@group(0) @binding(5) var<storage, read_write> LSE: array<f32>;

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
  var acc: array<f32, D>;
  var m = NEG_BIG;
  var l = 0.0;
  if (live) {
    for (var c = 0u; c < P.d; c++) {
      qi[c] = Q[base + i * D + c] * P.scale;
    }
    count_read(4u * D);
  }
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
        for (var c = 0u; c < P.d; c++) {
          s += qi[c] * k_sh[t * D + c];
        }
        let mn = max(m, s);
        let alpha = exp(m - mn);
        let p = exp(s - mn);
        l = l * alpha + p;
        for (var c = 0u; c < P.d; c++) {
          acc[c] = acc[c] * alpha + p * v_sh[t * D + c];
        }
        m = mn;
      }
    }
    workgroupBarrier();
  }
  if (live) {
    let inv = 1.0 / l;
    for (var c = 0u; c < P.d; c++) {
      O[base + i * D + c] = acc[c] * inv;
    }
    LSE[h * n + i] = m + log(l);
    count_write(4u * D + 4u);
  }
  flush_counts();
}
