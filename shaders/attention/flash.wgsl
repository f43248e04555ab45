// Tiled attention, FlashAttention-2 style, in one pass. A workgroup owns BR query rows (one
// invocation per row, its q and output accumulator in registers) and walks the key/value sequence
// in blocks of BC rows staged in workgroup memory. Each row keeps a running maximum m and running
// sum l of exp(s - m) (online softmax): when a block raises the maximum, the accumulator and sum are
// rescaled by exp(m_old - m_new) instead of revisiting old blocks. The BR×BC score tile lives only in
// workgroup memory, so global traffic is Q, O and the log-sum-exp once plus K and V once per query
// block: O(N·d·N/BR) bytes instead of O(N²). Under the causal mask, key blocks entirely above the
// diagonal are never loaded.
//
// D (the head dimension) is a const, set by specialise() (src/kernels/specialise.ts): private
// arrays need a fixed size. BR and BC are override constants.
// Rows move as vec4: one 16-byte load or FMA instead of four, in global and workgroup memory alike.
// Global loads and stores are counted with count_read/count_write (shaders/common/counters.wgsl).
override BR: u32 = 64;
override BC: u32 = 32;
const D: u32 = 64u;

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

var<workgroup> kTile: array<vec4<f32>, BC * D4>;
var<workgroup> vTile: array<vec4<f32>, BC * D4>;
var<workgroup> sTile: array<f32, BR * BC>;

const NEG_BIG: f32 = -3.0e38;

@compute @workgroup_size(BR)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) r: u32) {
  let n = P.n;
  let qb = wg.x;
  let base = wg.y * n * D4;
  let i = qb * BR + r;
  let rowLive = i < n;

  // The softmax scale is folded into q once instead of into every score.
  var q: array<vec4<f32>, D4>;
  var o: array<vec4<f32>, D4>;
  for (var c = 0u; c < D4; c++) {
    o[c] = vec4<f32>(0.0);
    q[c] = vec4<f32>(0.0);
  }
  if (rowLive) {
    for (var c = 0u; c < D4; c++) {
      q[c] = Q[base + i * D4 + c] * P.scale;
    }
    count_read(4u * D);
  }
  var m = NEG_BIG;
  var l = 0.0;

  // The last live query row of this block bounds the key blocks the causal mask leaves visible.
  let lastRow = min(n, qb * BR + BR) - 1u;
  var kbEnd = (n + BC - 1u) / BC;
  if (P.causal != 0u) {
    kbEnd = lastRow / BC + 1u;
  }

  for (var kb = 0u; kb < kbEnd; kb++) {
    let k0 = kb * BC;
    for (var e = r; e < BC * D4; e += BR) {
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

    // Scores of this row against the block, and the block's maximum.
    var mBlock = NEG_BIG;
    for (var j = 0u; j < BC; j++) {
      let key = k0 + j;
      var s = NEG_BIG;
      if (key < n && (P.causal == 0u || key <= i)) {
        var acc = 0.0;
        for (var c = 0u; c < D4; c++) {
          acc += dot(q[c], kTile[j * D4 + c]);
        }
        s = acc;
      }
      sTile[r * BC + j] = s;
      mBlock = max(mBlock, s);
    }

    // Online softmax: rescale what was accumulated under the old maximum, then add this block.
    let mNew = max(m, mBlock);
    let alpha = exp(m - mNew);
    for (var c = 0u; c < D4; c++) {
      o[c] *= alpha;
    }
    var lBlock = 0.0;
    for (var j = 0u; j < BC; j++) {
      let key = k0 + j;
      if (key < n && (P.causal == 0u || key <= i)) {
        let p = exp(sTile[r * BC + j] - mNew);
        lBlock += p;
        for (var c = 0u; c < D4; c++) {
          o[c] += p * vTile[j * D4 + c];
        }
      }
    }
    l = l * alpha + lBlock;
    m = mNew;
    workgroupBarrier();
  }

  if (rowLive) {
    let inv = 1.0 / l;
    for (var c = 0u; c < D4; c++) {
      O[base + i * D4 + c] = o[c] * inv;
    }
    LSE[wg.y * n + i] = m + log(l);
    count_write(4u * D + 4u);
  }
  flush_counts();
}
