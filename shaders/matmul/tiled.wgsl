// Workgroup-tiled matmul: a TILE_M×TILE_N workgroup computes one TILE_M×TILE_N tile of C, one
// output per invocation. For each step of the K loop the workgroup copies a TILE_M×TILE_K tile of
// A and a TILE_K×TILE_N tile of B from global memory into workgroup memory (on-chip), waits at a
// barrier, then every invocation reads its row and column from there. Each A element fetched from
// global memory is reused by TILE_N outputs and each B element by TILE_M, so global traffic drops
// from 2·M·N·K elements (naive) to M·K·⌈N/TILE_N⌉ + K·N·⌈M/TILE_M⌉.
// Ragged edges: out-of-range tile elements are stored as zeros without touching global memory, so
// the inner loop needs no bounds checks and the loads counted are exactly the in-bounds ones.
override TILE_M: u32 = 16;
override TILE_N: u32 = 16;
override TILE_K: u32 = 16;
override TRANSPOSE_B: bool = false;

// Workgroup array sizes must be fixed when the module is created; specialise() (src/kernels/specialise.ts) rewrites these
// two lines to TILE_M·TILE_K and TILE_K·TILE_N for the shape being compiled.
const A_TILE_ELEMS: u32 = 256u;
const B_TILE_ELEMS: u32 = 256u;

struct Dims {
  M: u32,
  N: u32,
  K: u32,
  pad: u32,
}

@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;

var<workgroup> tileA: array<f32, A_TILE_ELEMS>;
var<workgroup> tileB: array<f32, B_TILE_ELEMS>;

@compute @workgroup_size(TILE_N, TILE_M)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let row0 = wid.y * TILE_M;
  let col0 = wid.x * TILE_N;
  let tid = lid.y * TILE_N + lid.x;
  let threads = TILE_M * TILE_N;
  var acc = 0.0;
  let kTiles = (dims.K + TILE_K - 1u) / TILE_K;
  for (var t = 0u; t < kTiles; t++) {
    trace_begin(wid, tid, t);
    let k0 = t * TILE_K;
    // Consecutive invocations take consecutive k, so their global reads of A are contiguous.
    for (var i = tid; i < TILE_M * TILE_K; i += threads) {
      let gm = row0 + i / TILE_K;
      let gk = k0 + i % TILE_K;
      var v = 0.0;
      trace_access(gm < dims.M && gk < dims.K, 0u, gm * dims.K + gk);
      if (gm < dims.M && gk < dims.K) {
        v = A[gm * dims.K + gk];
        count_read(4u);
      }
      trace_access(true, 3u, i);
      tileA[i] = v;
    }
    for (var i = tid; i < TILE_K * TILE_N; i += threads) {
      var r: u32;
      var c: u32;
      if (TRANSPOSE_B) {
        // Bᵀ is stored row-per-n: walk k fastest to keep the reads contiguous.
        r = i % TILE_K;
        c = i / TILE_K;
      } else {
        r = i / TILE_N;
        c = i % TILE_N;
      }
      let gk = k0 + r;
      let gn = col0 + c;
      var v = 0.0;
      if (TRANSPOSE_B) {
        trace_access(gk < dims.K && gn < dims.N, 1u, gn * dims.K + gk);
      } else {
        trace_access(gk < dims.K && gn < dims.N, 1u, gk * dims.N + gn);
      }
      if (gk < dims.K && gn < dims.N) {
        if (TRANSPOSE_B) {
          v = B[gn * dims.K + gk];
        } else {
          v = B[gk * dims.N + gn];
        }
        count_read(4u);
      }
      trace_access(true, 5u, r * TILE_N + c);
      tileB[r * TILE_N + c] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      trace_access(true, 4u, lid.y * TILE_K + kk);
      trace_access(true, 6u, kk * TILE_N + lid.x);
      acc += tileA[lid.y * TILE_K + kk] * tileB[kk * TILE_N + lid.x];
    }
    trace_pause();
    // The next iteration overwrites the tiles: everyone must be done reading them.
    workgroupBarrier();
  }
  trace_end();
  let m = row0 + lid.y;
  let n = col0 + lid.x;
  if (m < dims.M && n < dims.N) {
    C[m * dims.N + n] = acc;
    count_write(4u);
  }
  flush_counts();
}
