// Standard attention, pass 1 of 3: S = scale · Q·Kᵀ for every (query, key) pair, written to global
// memory. A TILE×TILE workgroup stages TILE-wide slices of Q rows and K rows in workgroup memory and
// reuses each loaded value TILE times, the way a framework's matmul does. The N×N result is what makes
// this path O(N²) in memory and traffic: it goes out to global memory only to be read back by softmax.
override TILE: u32 = 16;

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

var<workgroup> qTile: array<f32, TILE * TILE>;
var<workgroup> kTile: array<f32, TILE * TILE>;

@compute @workgroup_size(TILE, TILE)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let n = P.n;
  let d = P.d;
  let head = wg.z * n * d;
  let row = wg.y * TILE + lid.y;
  let col = wg.x * TILE + lid.x;
  // The K row this invocation stages: tile column wg.x, row lid.y of the tile.
  let kRow = wg.x * TILE + lid.y;
  var acc = 0.0;
  // d is a multiple of TILE (32, 64, 128 with TILE = 16), so only the N edges need guards.
  for (var k0 = 0u; k0 < d; k0 += TILE) {
    var qv = 0.0;
    if (row < n) {
      qv = Q[head + row * d + k0 + lid.x];
      count_read(4u);
    }
    qTile[lid.y * TILE + lid.x] = qv;
    var kv = 0.0;
    if (kRow < n) {
      kv = K[head + kRow * d + k0 + lid.x];
      count_read(4u);
    }
    kTile[lid.y * TILE + lid.x] = kv;
    workgroupBarrier();
    for (var k = 0u; k < TILE; k++) {
      acc += qTile[lid.y * TILE + k] * kTile[lid.x * TILE + k];
    }
    workgroupBarrier();
  }
  // The causal mask is applied by softmax, as a framework's masked_fill + softmax would: this pass
  // computes and stores every score, masked or not.
  if (row < n && col < n) {
    S[wg.z * n * n + row * n + col] = acc * P.scale;
    count_write(4u);
  }
  flush_counts();
}
