// Tiled attention, FlashAttention-2 style, in one pass. A workgroup owns BR query rows and walks
// the key/value sequence in blocks of BC keys staged in workgroup memory. Each row keeps a running
// maximum m and running sum l of exp(s - m) (online softmax): when new scores raise the maximum,
// the accumulator and sum are rescaled by exp(m_old - m_new) instead of revisiting old keys. No
// score ever reaches global (or workgroup) memory, so global traffic is Q, O and the log-sum-exp
// once plus K and V once per query block: O(N·d·N/BR) bytes instead of O(N²). Under the causal
// mask, key blocks entirely above the diagonal are never loaded.
//
// Register blocking, as in a tiled matmul:
// - Each invocation owns ROWS query rows (1 or 2; BR / ROWS invocations per workgroup). Every K
//   and V vector it reads from workgroup memory then feeds ROWS rows' arithmetic, so ROWS = 2
//   halves workgroup-memory reads per multiply-add. The price is registers: q and the output
//   accumulator are d floats each per row (256 floats for two rows at d = 64, past the 255
//   registers an NVIDIA thread can hold, so there it spills).
// - Scores are computed KS = 16 keys at a time and held in four vec4 registers per row (written
//   out, not as an indexed array, so they stay in registers); the online softmax updates once per
//   16 keys and the rescale is folded into the P·V update. The inner loops run over d, so each q
//   and accumulator vector is loaded once per 16 keys rather than once per key.
//
// D (the head dimension) is a const, set by specialise() (src/kernels/specialise.ts): private
// arrays need a fixed size. BR, BC (a multiple of KS) and ROWS are override constants.
// Global loads and stores are counted with count_read/count_write (shaders/common/counters.wgsl).
override BR: u32 = 64;
override BC: u32 = 32;
override ROWS: u32 = 2;
const D: u32 = 64u;
const KS: u32 = 16u;

struct Params {
  bh: u32,
  n: u32,
  d: u32,
  causal: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> Q: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> K: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> V: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> O: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> LSE: array<f32>;

const D4: u32 = D / 4u;
const NEG_BIG: f32 = -3.0e38;

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

// One online-softmax step over 16 scores: the factor for what was accumulated under the old
// maximum, and the 16 unnormalised probabilities.
struct Step {
  alpha: f32,
  p0: vec4<f32>,
  p1: vec4<f32>,
  p2: vec4<f32>,
  p3: vec4<f32>,
}

fn online(m: ptr<function, f32>, l: ptr<function, f32>, s0: vec4<f32>, s1: vec4<f32>, s2: vec4<f32>, s3: vec4<f32>) -> Step {
  let top = max(max(s0, s1), max(s2, s3));
  let mNew = max(*m, max(max(top.x, top.y), max(top.z, top.w)));
  var st: Step;
  st.alpha = exp(*m - mNew);
  st.p0 = exp(s0 - mNew);
  st.p1 = exp(s1 - mNew);
  st.p2 = exp(s2 - mNew);
  st.p3 = exp(s3 - mNew);
  let sum4 = st.p0 + st.p1 + st.p2 + st.p3;
  *l = *l * st.alpha + (sum4.x + sum4.y + sum4.z + sum4.w);
  *m = mNew;
  return st;
}

// Row i of Q with the softmax scale folded in once (instead of into every score); zeros past N.
fn loadQuery(base: u32, i: u32, n: u32) -> array<vec4<f32>, D4> {
  var q: array<vec4<f32>, D4>;
  if (i < n) {
    for (var c = 0u; c < D4; c++) {
      q[c] = Q[base + i * D4 + c] * P.scale;
    }
    count_read(4u * D);
  }
  return q;
}

// Row i of O (the accumulator divided by the running sum) and its log-sum-exp m + log l.
fn storeRow(base: u32, lseBase: u32, i: u32, n: u32, o: array<vec4<f32>, D4>, m: f32, l: f32) {
  if (i >= n) {
    return;
  }
  let inv = 1.0 / l;
  for (var c = 0u; c < D4; c++) {
    O[base + i * D4 + c] = o[c] * inv;
  }
  LSE[lseBase + i] = m + log(l);
  count_write(4u * D + 4u);
}

@compute @workgroup_size(BR / ROWS)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let n = P.n;
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

  var q0 = loadQuery(base, i0, n);
  var q1: array<vec4<f32>, D4>;
  if (ROWS == 2u) {
    q1 = loadQuery(base, i1, n);
  }
  var o0: array<vec4<f32>, D4>;
  var o1: array<vec4<f32>, D4>;
  var m0 = NEG_BIG;
  var m1 = NEG_BIG;
  var l0 = 0.0;
  var l1 = 0.0;

  // The last live query row of this block bounds the key blocks the causal mask leaves visible.
  let lastRow = min(n, qb * BR + BR) - 1u;
  var kbEnd = (n + BC - 1u) / BC;
  if (P.causal != 0u) {
    kbEnd = lastRow / BC + 1u;
  }

  for (var kb = 0u; kb < kbEnd; kb++) {
    let k0 = kb * BC;
    for (var e = t; e < BC * D4; e += threads) {
      let key = k0 + e / D4;
      var kv = vec4<f32>(0.0);
      var vv = vec4<f32>(0.0);
      if (key < n) {
        kv = K[base + key * D4 + e % D4];
        vv = V[base + key * D4 + e % D4];
        count_read(32u);
      }
      kTile[e] = kv;
      vTile[e] = vv;
    }
    workgroupBarrier();

    for (var j0 = 0u; j0 < BC; j0 += KS) {
      // Scores of rows 0 (a*) and 1 (b*) against keys k0+j0 .. k0+j0+15, four per vec4.
      var a0 = vec4<f32>(0.0);
      var a1 = vec4<f32>(0.0);
      var a2 = vec4<f32>(0.0);
      var a3 = vec4<f32>(0.0);
      var b0 = vec4<f32>(0.0);
      var b1 = vec4<f32>(0.0);
      var b2 = vec4<f32>(0.0);
      var b3 = vec4<f32>(0.0);
      for (var c = 0u; c < D4; c++) {
        let at = j0 * D4 + c;
        let kA = keys4(at);
        let kB = keys4(at + 4u * D4);
        let kC = keys4(at + 8u * D4);
        let kD = keys4(at + 12u * D4);
        let x = q0[c];
        a0 += x * kA;
        a1 += x * kB;
        a2 += x * kC;
        a3 += x * kD;
        if (ROWS == 2u) {
          let y = q1[c];
          b0 += y * kA;
          b1 += y * kB;
          b2 += y * kC;
          b3 += y * kD;
        }
      }
      let key0 = k0 + j0;
      let r0 = online(&m0, &l0, masked(a0, key0, see0), masked(a1, key0 + 4u, see0), masked(a2, key0 + 8u, see0), masked(a3, key0 + 12u, see0));
      var r1: Step;
      if (ROWS == 2u) {
        r1 = online(&m1, &l1, masked(b0, key0, see1), masked(b1, key0 + 4u, see1), masked(b2, key0 + 8u, see1), masked(b3, key0 + 12u, see1));
      }

      // Rescale what was accumulated under the old maximum and add these 16 keys' values.
      for (var c = 0u; c < D4; c++) {
        let at = j0 * D4 + c;
        let vA = values4(at);
        let vB = values4(at + 4u * D4);
        let vC = values4(at + 8u * D4);
        let vD = values4(at + 12u * D4);
        o0[c] = o0[c] * r0.alpha + vA * r0.p0 + vB * r0.p1 + vC * r0.p2 + vD * r0.p3;
        if (ROWS == 2u) {
          o1[c] = o1[c] * r1.alpha + vA * r1.p0 + vB * r1.p1 + vC * r1.p2 + vD * r1.p3;
        }
      }
    }
    workgroupBarrier();
  }

  storeRow(base, wg.y * n, i0, n, o0, m0, l0);
  if (ROWS == 2u) {
    storeRow(base, wg.y * n, i1, n, o1, m1, l1);
  }
  flush_counts();
}
