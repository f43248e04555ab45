// Standard attention, pass 3 of 3: O = P·V, a tiled matmul of the N×N probabilities (read back
// from global memory) with the N×d values. Each TILE×TILE workgroup stages a slice of P rows and a
// slice of V in workgroup memory; P is read once per TILE output columns (d / TILE times).
override TILE: u32 = 16;

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

var<workgroup> pTile: array<f32, TILE * TILE>;
var<workgroup> vTile: array<f32, TILE * TILE>;

@compute @workgroup_size(TILE, TILE)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let n = P.n;
  let d = P.d;
  let row = wg.y * TILE + lid.y;
  let col = wg.x * TILE + lid.x;
  let pBase = wg.z * n * n;
  let vBase = wg.z * n * d;
  var acc = 0.0;
  for (var j0 = 0u; j0 < n; j0 += TILE) {
    var pv = 0.0;
    let key = j0 + lid.x;
    if (row < n && key < n) {
      pv = Pm[pBase + row * n + key];
      count_read(4u);
    }
    pTile[lid.y * TILE + lid.x] = pv;
    var vv = 0.0;
    let vRow = j0 + lid.y;
    if (vRow < n) {
      vv = V[vBase + vRow * d + col];
      count_read(4u);
    }
    vTile[lid.y * TILE + lid.x] = vv;
    workgroupBarrier();
    for (var k = 0u; k < TILE; k++) {
      acc += pTile[lid.y * TILE + k] * vTile[k * TILE + lid.x];
    }
    workgroupBarrier();
  }
  if (row < n) {
    O[vBase + row * d + col] = acc;
    count_write(4u);
  }
  flush_counts();
}
