// Solution: 16 x 16 tiles of A and B staged in workgroup memory. Each element loaded from global
// memory is used by 16 invocations, so global traffic falls 16-fold.
struct Params { M: u32, N: u32, K: u32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

const T = 16u;

var<workgroup> As: array<array<f32, T>, T>; // As[r][k]: rows of this workgroup's A strip
var<workgroup> Bs: array<array<f32, T>, T>; // Bs[k][c]: columns of this workgroup's B strip

@compute @workgroup_size(T, T)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row = gid.y;
  let col = gid.x;
  var acc = 0.0;
  let tiles = (p.K + T - 1u) / T;
  // No early return for out-of-range invocations: they still help load tiles, and every
  // invocation must reach every barrier.
  for (var t = 0u; t < tiles; t++) {
    // Each invocation loads one element of each tile. Past a ragged edge it stores zero without
    // touching global memory, so the padding adds nothing to the sum and nothing to the traffic.
    let ak = t * T + lid.x;
    if (row < p.M && ak < p.K) {
      As[lid.y][lid.x] = a[row * p.K + ak];
    } else {
      As[lid.y][lid.x] = 0.0;
    }
    let bk = t * T + lid.y;
    if (bk < p.K && col < p.N) {
      Bs[lid.y][lid.x] = b[bk * p.N + col];
    } else {
      Bs[lid.y][lid.x] = 0.0;
    }
    // The tiles must be complete before anyone reads them.
    workgroupBarrier();
    // 16 multiply-adds from on-chip memory per pair of global loads: arithmetic intensity x16.
    for (var k = 0u; k < T; k++) {
      acc += As[lid.y][k] * Bs[k][lid.x];
    }
    // Nobody may overwrite a tile while a neighbour is still reading it.
    workgroupBarrier();
  }
  if (row < p.M && col < p.N) {
    c[row * p.N + col] = acc;
  }
}
