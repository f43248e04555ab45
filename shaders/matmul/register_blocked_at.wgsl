// Register-blocked matmul with the A tile stored transposed (k-major) in workgroup memory, with an
// optional pad on its rows: the bank-conflict rung of the ladder.
// The kernel is register_blocked.wgsl except for tile A's layout: tileAT[k][m] instead of
// tileA[m][k]. A k-major A tile is what a kernel needs to read an invocation's A values along m as
// one wide load (the SGEMM worklog's kernel 6), but the copy from global memory, which walks A
// along k so that its reads coalesce, now stores neighbouring invocations' values a whole tile row
// apart. Workgroup memory is split into 32 banks of 4 bytes (word w lives in bank w mod 32): with a
// row stride of TILE_M = 64 words, the 16 k of one subgroup's store land in the same bank and are
// serialised 16 ways. Padding each row to A_STRIDE = TILE_M + PAD words, with the stride ≡ 32/TILE_K
// (mod 32), spreads one subgroup's stores over all 32 banks (src/kernels/matmul/ladder.ts picks
// PAD), at the price of PAD·TILE_K unused words.
override TILE_M: u32 = 64;
override TILE_N: u32 = 64;
override TILE_K: u32 = 16;
override BLOCK_M: u32 = 4;
override BLOCK_N: u32 = 4;
override PAD: u32 = 0;
override TRANSPOSE_B: bool = false;

// Array sizes fixed at module creation, rewritten by specialise(): TILE_K·(TILE_M + PAD),
// TILE_K·TILE_N, BLOCK_M·BLOCK_N, BLOCK_M, BLOCK_N.
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

var<workgroup> tileAT: array<f32, A_TILE_ELEMS>;
var<workgroup> tileB: array<f32, B_TILE_ELEMS>;

@compute @workgroup_size(TILE_N / BLOCK_N, TILE_M / BLOCK_M)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let TX = TILE_N / BLOCK_N;
  let TY = TILE_M / BLOCK_M;
  let A_STRIDE = TILE_M + PAD;
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
    // Read along k (coalesced), store k-major: tileAT[k][m].
    for (var i = tid; i < TILE_M * TILE_K; i += threads) {
      let m = i / TILE_K;
      let k = i % TILE_K;
      let gm = row0 + m;
      let gk = k0 + k;
      var v = 0.0;
      let inside = gm < dims.M && gk < dims.K;
      trace_access(inside, 0u, gm * dims.K + gk);
      if (inside) {
        v = A[gm * dims.K + gk];
        count_read(4u);
      }
      trace_access(true, 3u, k * A_STRIDE + m);
      tileAT[k * A_STRIDE + m] = v;
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
      let inside = gk < dims.K && gn < dims.N;
      var gi = gk * dims.N + gn;
      if (TRANSPOSE_B) {
        gi = gn * dims.K + gk;
      }
      trace_access(inside, 1u, gi);
      if (inside) {
        v = B[gi];
        count_read(4u);
      }
      trace_access(true, 5u, r * TILE_N + c);
      tileB[r * TILE_N + c] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      for (var i = 0u; i < BLOCK_M; i++) {
        trace_access(true, 4u, kk * A_STRIDE + lid.y + i * TY);
        aReg[i] = tileAT[kk * A_STRIDE + lid.y + i * TY];
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
  for (var i = 0u; i < BLOCK_M; i++) {
    let m = row0 + lid.y + i * TY;
    for (var j = 0u; j < BLOCK_N; j++) {
      let n = col0 + lid.x + j * TX;
      if (m < dims.M && n < dims.N) {
        C[m * dims.N + n] = acc[i * BLOCK_N + j];
        count_write(4u);
      }
    }
  }
  trace_end();
  flush_counts();
}
