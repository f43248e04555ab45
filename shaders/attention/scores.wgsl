// Standard attention, pass 1 of 3: S = scale · Q·Kᵀ for every (query, key) pair, written to global
// memory. A framework runs this as a matmul, so this is a tiled one: a workgroup computes a
// TILE×TILE block of S, staging KSTEP-wide slices of its Q rows and K rows in workgroup memory, and
// each invocation accumulates a 4×4 patch in registers (every staged value is reused TILE times).
// The N×N result is what makes this path O(N²) in memory and traffic: it goes out to global memory
// only to be read back by softmax.
override TILE: u32 = 32;
override KSTEP: u32 = 16;
const RB: u32 = 4u;

struct Params {
  bh: u32,
  n: u32,
  d: u32,
  causal: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> Q: array<f32>;
@group(0) @binding(2) var<storage, read> K: array<f32>;
@group(0) @binding(3) var<storage, read_write> S: array<f32>;

var<workgroup> qTile: array<f32, TILE * KSTEP>;
var<workgroup> kTile: array<f32, TILE * KSTEP>;

@compute @workgroup_size(TILE / RB, TILE / RB)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let n = P.n;
  let d = P.d;
  let head = wg.z * n * d;
  let threads = (TILE / RB) * (TILE / RB);
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  var acc: array<f32, 16>;
  for (var a = 0u; a < RB * RB; a++) {
    acc[a] = 0.0;
  }
  // d is a multiple of KSTEP (32, 64, 128 with KSTEP = 16), so only the N edges need guards.
  for (var k0 = 0u; k0 < d; k0 += KSTEP) {
    for (var e = li; e < TILE * KSTEP; e += threads) {
      let r = e / KSTEP;
      let c = e % KSTEP;
      var qv = 0.0;
      if (row0 + r < n) {
        qv = Q[head + (row0 + r) * d + k0 + c];
        count_read(4u);
      }
      qTile[e] = qv;
      var kv = 0.0;
      if (col0 + r < n) {
        kv = K[head + (col0 + r) * d + k0 + c];
        count_read(4u);
      }
      kTile[e] = kv;
    }
    workgroupBarrier();
    // A run-time bound (always KSTEP here): a loop bounded by overrides alone is unrolled, and with
    // the 4×4 patch inside, Mesa's llvmpipe (which compiles at the first dispatch) takes tens of
    // seconds over the written-out code. The i and j loops index the registers, so they unroll.
    let kEnd = min(KSTEP, d - k0);
    for (var k = 0u; k < kEnd; k++) {
      for (var i = 0u; i < RB; i++) {
        let qv = qTile[(lid.y + i * (TILE / RB)) * KSTEP + k];
        for (var j = 0u; j < RB; j++) {
          acc[i * RB + j] += qv * kTile[(lid.x + j * (TILE / RB)) * KSTEP + k];
        }
      }
    }
    workgroupBarrier();
  }
  // The causal mask is applied by softmax, as a framework's masked_fill + softmax would: this pass
  // computes and stores every score, masked or not.
  for (var i = 0u; i < RB; i++) {
    let row = row0 + lid.y + i * (TILE / RB);
    for (var j = 0u; j < RB; j++) {
      let col = col0 + lid.x + j * (TILE / RB);
      if (row < n && col < n) {
        S[wg.z * n * n + row * n + col] = acc[i * RB + j] * P.scale;
        count_write(4u);
      }
    }
  }
  flush_counts();
}
