// Register-blocked matmul: like the tiled kernel, a workgroup stages TILE_M×TILE_K tiles of A and
// TILE_K×TILE_N tiles of B in workgroup memory, but each invocation now computes a BLOCK_M×BLOCK_N
// block of outputs held in registers. Per step of the inner loop it reads BLOCK_M values of A and
// BLOCK_N of B from workgroup memory and does BLOCK_M·BLOCK_N multiply-adds with them, so the
// workgroup-memory traffic per FLOP falls by the block size, the same reuse trick one level closer
// to the ALUs. Larger output tiles (with fewer invocations) also cut global traffic further.
// An invocation's outputs are strided by the thread count (rows ty, ty+TY, ...; columns tx, tx+TX,
// ...), so neighbouring invocations read neighbouring words of tileB and write neighbouring words
// of C.
override TILE_M: u32 = 64;
override TILE_N: u32 = 64;
override TILE_K: u32 = 16;
override BLOCK_M: u32 = 4;
override BLOCK_N: u32 = 4;
override TRANSPOSE_B: bool = false;
// Training's backward products (src/kernels/linear): dW = Xᵀ·dY reads A stored K×M (TRANSPOSE_A,
// walked along m so the loads still coalesce), and ACCUMULATE adds the product to what C holds
// (C += A·B: a residual stream's gradient, a tied embedding's two contributions), one more 4-byte
// read per output. Both false reproduce the kernel above exactly.
override TRANSPOSE_A: bool = false;
override ACCUMULATE: bool = false;

// Array sizes must be fixed when the module is created; specialise() (src/kernels/specialise.ts) rewrites these lines for
// the shape being compiled (TILE_M·TILE_K, TILE_K·TILE_N, BLOCK_M·BLOCK_N, BLOCK_M, BLOCK_N).
const A_TILE_ELEMS: u32 = 1024u;
const B_TILE_ELEMS: u32 = 1024u;
const ACC_ELEMS: u32 = 16u;
const A_REG_ELEMS: u32 = 4u;
const B_REG_ELEMS: u32 = 4u;

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

@compute @workgroup_size(TILE_N / BLOCK_N, TILE_M / BLOCK_M)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let TX = TILE_N / BLOCK_N;
  let TY = TILE_M / BLOCK_M;
  let row0 = wid.y * TILE_M;
  let col0 = wid.x * TILE_N;
  let tid = lid.y * TX + lid.x;
  let threads = TX * TY;
  var acc: array<f32, ACC_ELEMS>;
  var aReg: array<f32, A_REG_ELEMS>;
  var bReg: array<f32, B_REG_ELEMS>;
  let kTiles = (dims.K + TILE_K - 1u) / TILE_K;
  for (var t = 0u; t < kTiles; t++) {
    trace_begin(wid, tid, t);
    let k0 = t * TILE_K;
    for (var i = tid; i < TILE_M * TILE_K; i += threads) {
      var mi = i / TILE_K;
      var ki = i % TILE_K;
      if (TRANSPOSE_A) {
        mi = i % TILE_M;
        ki = i / TILE_M;
      }
      let gm = row0 + mi;
      let gk = k0 + ki;
      var ga = gm * dims.K + gk;
      if (TRANSPOSE_A) {
        ga = gk * dims.M + gm;
      }
      var v = 0.0;
      trace_access(gm < dims.M && gk < dims.K, 0u, ga);
      if (gm < dims.M && gk < dims.K) {
        v = A[ga];
        count_read(4u);
      }
      trace_access(true, 3u, mi * TILE_K + ki);
      tileA[mi * TILE_K + ki] = v;
    }
    for (var i = tid; i < TILE_K * TILE_N; i += threads) {
      var r: u32;
      var c: u32;
      if (TRANSPOSE_B) {
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
      for (var i = 0u; i < BLOCK_M; i++) {
        trace_access(true, 4u, (lid.y + i * TY) * TILE_K + kk);
        aReg[i] = tileA[(lid.y + i * TY) * TILE_K + kk];
      }
      for (var j = 0u; j < BLOCK_N; j++) {
        trace_access(true, 6u, kk * TILE_N + lid.x + j * TX);
        bReg[j] = tileB[kk * TILE_N + lid.x + j * TX];
      }
      for (var i = 0u; i < BLOCK_M; i++) {
        for (var j = 0u; j < BLOCK_N; j++) {
          acc[i * BLOCK_N + j] += aReg[i] * bReg[j];
        }
      }
    }
    trace_pause();
    workgroupBarrier();
  }
  trace_end();
  for (var i = 0u; i < BLOCK_M; i++) {
    let m = row0 + lid.y + i * TY;
    for (var j = 0u; j < BLOCK_N; j++) {
      let n = col0 + lid.x + j * TX;
      if (m < dims.M && n < dims.N) {
        var out = acc[i * BLOCK_N + j];
        if (ACCUMULATE) {
          out = C[m * dims.N + n] + out;
          count_read(4u);
        }
        C[m * dims.N + n] = out;
        count_write(4u);
      }
    }
  }
  flush_counts();
}
