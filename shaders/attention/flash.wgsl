// Tiled attention, FlashAttention-2 style, in one pass. A workgroup owns BR query rows and walks
// the key/value sequence in blocks of BC keys staged in workgroup memory. Each row keeps a running
// maximum m and running sum l of exp(s - m) (online softmax): when new scores raise the maximum,
// the accumulator and sum are rescaled by exp(m_old - m_new) instead of revisiting old keys. No
// score ever reaches global (or workgroup) memory, so global traffic is Q, O and the log-sum-exp
// once plus K and V once per query block: O(N·d·N/BR) bytes instead of O(N²). Under the causal
// mask, key blocks entirely above the diagonal are never loaded.
//
// Register blocking:
// - Each invocation owns ROWS query rows (1 or 2; BR / ROWS invocations per workgroup). Every K
//   and V vector it reads from workgroup memory then feeds ROWS rows' arithmetic, so ROWS = 2
//   halves workgroup-memory reads per multiply-add, for twice the private memory (q and the
//   output accumulator are d floats each per row).
// - Scores are computed KS = 4 keys at a time in one vec4 per row; the online softmax updates once
//   per 4 keys and its rescale is folded into the P·V update.
//
// Compile time is part of the design. Every loop here has a trip count known only at run time
// (the head dimension from the uniform, the live keys of a block), so no compiler unrolls it and
// the compiled size does not grow with BC or d. The earlier version wrote out 16 keys per step
// and looped over D, a const: unrolled, that was BC·d/4 workgroup-memory loads in straight-line
// code, and Mesa's llvmpipe (which compiles at the first dispatch and emits one load per SIMD lane
// per component) took 22 s to 293 s to build it; this one takes a few seconds at every tile.
// The price on a GPU: q and the accumulator are indexed by a run-time counter, which a GPU
// compiler may keep in local memory (cached) rather than registers.
//
// D (the head dimension) is a const, set by specialise() (src/kernels/specialise.ts): private
// arrays need a fixed size. BR, BC (a multiple of KS) and ROWS are override constants.
// Global loads and stores are counted with count_read/count_write (shaders/common/counters.wgsl).
override BR: u32 = 64;
override BC: u32 = 32;
override ROWS: u32 = 2;
const D: u32 = 64u;
// Q, K and V as stored: f32, or f16 in the f16-storage build (src/kernels/attention/source.ts
// rewrites these two lines and enables f16; every load widens to f32, so all math stays f32).
alias QKV = vec4<f32>;
const QKV_BYTES: u32 = 4u;

struct Params {
  bh: u32,
  n: u32,
  d: u32,
  causal: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> Q: array<QKV>;
@group(0) @binding(2) var<storage, read> K: array<QKV>;
@group(0) @binding(3) var<storage, read> V: array<QKV>;
@group(0) @binding(4) var<storage, read_write> O: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> LSE: array<f32>;

const D4: u32 = D / 4u;
const NEG_BIG: f32 = -3.0e38;
const KS: u32 = 4u;

var<workgroup> kTile: array<vec4<f32>, BC * D4>;
var<workgroup> vTile: array<vec4<f32>, BC * D4>;

// Four keys' (or values') 4-wide slices at the same offset in the row: x * keys4(t) is the vec4 of
// four partial dot products, values4(t) * p the p-weighted sum of four value slices.
fn keys4(t: u32) -> mat4x4<f32> {
  return mat4x4<f32>(kTile[t], kTile[t + D4], kTile[t + 2u * D4], kTile[t + 3u * D4]);
}

fn values4(t: u32) -> mat4x4<f32> {
  return mat4x4<f32>(vTile[t], vTile[t + D4], vTile[t + 2u * D4], vTile[t + 3u * D4]);
}

// Scores of keys key0 .. key0+3 that the row may not see (past `visible`) become -inf-like.
fn masked(s: vec4<f32>, key0: u32, visible: u32) -> vec4<f32> {
  return select(vec4<f32>(NEG_BIG), s, vec4<u32>(key0) + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(visible));
}

// One online-softmax step over 4 scores: the factor for what was accumulated under the old
// maximum, and the 4 unnormalised probabilities.
struct Step {
  alpha: f32,
  p: vec4<f32>,
}

fn online(m: ptr<function, f32>, l: ptr<function, f32>, s: vec4<f32>) -> Step {
  let mNew = max(*m, max(max(s.x, s.y), max(s.z, s.w)));
  var st: Step;
  st.alpha = exp(*m - mNew);
  st.p = exp(s - mNew);
  *l = *l * st.alpha + dot(st.p, vec4<f32>(1.0));
  *m = mNew;
  return st;
}

@compute @workgroup_size(BR / ROWS)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let n = P.n;
  // The loops over the head dimension run to the uniform's d (equal to D; the host writes both), a
  // run-time bound, so they stay loops.
  let d4 = P.d / 4u;
  let qb = wg.x;
  let base = wg.y * n * D4;
  let threads = BR / ROWS;
  // Row 0 of this invocation, and row 1 one workgroup-width further (used when ROWS = 2).
  let i0 = qb * BR + t;
  let i1 = i0 + threads;
  // Keys each row may see: all N, or under the causal mask those at or before the row.
  var see0 = n;
  var see1 = n;
  if (P.causal != 0u) {
    see0 = min(n, i0 + 1u);
    see1 = min(n, i1 + 1u);
  }
  var q0: array<vec4<f32>, D4>;
  var q1: array<vec4<f32>, D4>;
  var o0: array<vec4<f32>, D4>;
  var o1: array<vec4<f32>, D4>;
  // Rows of Q with the softmax scale folded in once (instead of into every score); zeros past N.
  if (i0 < n) {
    for (var c = 0u; c < d4; c++) {
      q0[c] = vec4<f32>(Q[base + i0 * D4 + c]) * P.scale;
    }
    count_read(QKV_BYTES * D);
  }
  if (ROWS == 2u && i1 < n) {
    for (var c = 0u; c < d4; c++) {
      q1[c] = vec4<f32>(Q[base + i1 * D4 + c]) * P.scale;
    }
    count_read(QKV_BYTES * D);
  }
  var m0 = NEG_BIG;
  var m1 = NEG_BIG;
  var l0 = 0.0;
  var l1 = 0.0;
  // The last live query row of this block bounds the keys (and key blocks) the causal mask leaves
  // visible to any of its rows.
  let lastRow = min(n, qb * BR + BR) - 1u;
  var keyEnd = n;
  if (P.causal != 0u) {
    keyEnd = lastRow + 1u;
  }
  let kbEnd = (keyEnd + BC - 1u) / BC;
  for (var kb = 0u; kb < kbEnd; kb++) {
    let k0 = kb * BC;
    for (var e = t; e < BC * D4; e += threads) {
      let key = k0 + e / D4;
      var kv = vec4<f32>(0.0);
      var vv = vec4<f32>(0.0);
      if (key < n) {
        kv = vec4<f32>(K[base + key * D4 + e % D4]);
        vv = vec4<f32>(V[base + key * D4 + e % D4]);
        count_read(8u * QKV_BYTES);
      }
      kTile[e] = kv;
      vTile[e] = vv;
    }
    workgroupBarrier();
    // Steps of 4 keys up to the last key any row here sees (past N the tile holds zeros, and the
    // mask turns a partly live step's extra scores into zero weights).
    let live = min(BC, keyEnd - k0);
    for (var j = 0u; j < live; j += KS) {
      var a = vec4<f32>(0.0);
      var b = vec4<f32>(0.0);
      for (var c = 0u; c < d4; c++) {
        let kq = keys4(j * D4 + c);
        a += q0[c] * kq;
        if (ROWS == 2u) {
          b += q1[c] * kq;
        }
      }
      let r0 = online(&m0, &l0, masked(a, k0 + j, see0));
      var r1: Step;
      if (ROWS == 2u) {
        r1 = online(&m1, &l1, masked(b, k0 + j, see1));
      }
      // Rescale what was accumulated under the old maximum and add these 4 keys' values.
      for (var c = 0u; c < d4; c++) {
        let vq = values4(j * D4 + c);
        o0[c] = o0[c] * r0.alpha + vq * r0.p;
        if (ROWS == 2u) {
          o1[c] = o1[c] * r1.alpha + vq * r1.p;
        }
      }
    }
    workgroupBarrier();
  }
  // Each row of O (the accumulator divided by the running sum) and its log-sum-exp m + log l.
  if (i0 < n) {
    let inv = 1.0 / l0;
    for (var c = 0u; c < d4; c++) {
      O[base + i0 * D4 + c] = o0[c] * inv;
    }
    LSE[wg.y * n + i0] = m0 + log(l0);
    count_write(4u * D + 4u);
  }
  if (ROWS == 2u && i1 < n) {
    let inv = 1.0 / l1;
    for (var c = 0u; c < d4; c++) {
      O[base + i1 * D4 + c] = o1[c] * inv;
    }
    LSE[wg.y * n + i1] = m1 + log(l1);
    count_write(4u * D + 4u);
  }
  flush_counts();
}
