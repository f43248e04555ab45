// Standard attention, pass 3 of 3: O = P·V, a tiled matmul of the N×N probabilities (read back
// from global memory) with the N×d values. A workgroup computes a TILE×TILE block of O (TILE rows,
// TILE of the d columns), staging KSTEP keys of P and V at a time in workgroup memory; each
// invocation accumulates a 4×4 patch in registers. P is read once per TILE output columns (d / TILE
// times), V once per TILE query rows.
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
@group(0) @binding(1) var<storage, read> Pm: array<f32>;
@group(0) @binding(2) var<storage, read> V: array<f32>;
@group(0) @binding(3) var<storage, read_write> O: array<f32>;

var<workgroup> pTile: array<f32, TILE * KSTEP>;
var<workgroup> vTile: array<f32, KSTEP * TILE>;

@compute @workgroup_size(TILE / RB, TILE / RB)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let n = P.n;
  let d = P.d;
  let threads = (TILE / RB) * (TILE / RB);
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  let pBase = wg.z * n * n;
  let vBase = wg.z * n * d;
  var acc: array<f32, 16>;
  for (var a = 0u; a < RB * RB; a++) {
    acc[a] = 0.0;
  }
  for (var j0 = 0u; j0 < n; j0 += KSTEP) {
    for (var e = li; e < TILE * KSTEP; e += threads) {
      // P slice: TILE rows × KSTEP keys.
      let r = e / KSTEP;
      let kk = e % KSTEP;
      var pv = 0.0;
      if (row0 + r < n && j0 + kk < n) {
        pv = Pm[pBase + (row0 + r) * n + j0 + kk];
        count_read(4u);
      }
      pTile[e] = pv;
      // V slice: KSTEP keys × TILE columns.
      let vk = e / TILE;
      let vc = e % TILE;
      var vv = 0.0;
      if (j0 + vk < n) {
        vv = V[vBase + (j0 + vk) * d + col0 + vc];
        count_read(4u);
      }
      vTile[e] = vv;
    }
    workgroupBarrier();
    // Only the keys this slice really has (past N the tile holds zeros): a run-time bound, so the
    // loop is not unrolled (Mesa's llvmpipe, which compiles at the first dispatch, takes tens of
    // seconds over the written-out code). The i and j loops index the registers, so they unroll.
    let kEnd = min(KSTEP, n - j0);
    for (var k = 0u; k < kEnd; k++) {
      for (var i = 0u; i < RB; i++) {
        let p = pTile[(lid.y + i * (TILE / RB)) * KSTEP + k];
        for (var j = 0u; j < RB; j++) {
          acc[i * RB + j] += p * vTile[k * TILE + lid.x + j * (TILE / RB)];
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < RB; i++) {
    let row = row0 + lid.y + i * (TILE / RB);
    if (row < n) {
      for (var j = 0u; j < RB; j++) {
        O[vBase + row * d + col0 + lid.x + j * (TILE / RB)] = acc[i * RB + j];
        count_write(4u);
      }
    }
  }
  flush_counts();
}
