// Register-blocked matmul with vec4 memory accesses: the same tiling and per-invocation blocking as
// register_blocked.wgsl, but A, B and C are bound as arrays of vec4<f32>, so one load or store
// moves four floats. Tiles of A are fetched four consecutive k at a time, tiles of B and C four
// consecutive n at a time, and both tiles live in workgroup memory as vec4s. An invocation owns
// BLOCK_M rows by BLOCK_N/4 vec4 columns of C; per group of four k it reads four vec4s of B per
// column group and one vec4 of A per row, and does 16 multiply-adds for each pair as vec4 ops.
// Why faster: a quarter of the global load/store instructions (and of their bounds checks), a
// quarter of the workgroup-memory accesses in the inner loop, and 128-bit transactions that
// neighbouring invocations issue side by side (vec4 column c4 = lid.x + j·TX), so reads and writes
// stay coalesced.
// Ragged sizes: when K (for A) or N (for B and C) is a multiple of 4, a vec4 at a multiple-of-4
// offset is either wholly inside the matrix or wholly outside it, so edge tiles are zero-filled a
// whole vec4 at a time. When it is not, rows do not start on a vec4 boundary and that operand is
// read (or written) element by element through the same vec4 binding (A[i / 4][i % 4]), with the
// same per-element bounds checks as the scalar kernel. A transposed B (stored N×K) is always read
// element by element. Either way the bytes counted are exactly the in-bounds elements, so the cost
// model is the scalar register-blocked one. Buffers must be padded to a multiple of 16 bytes.
override TILE_M: u32 = 64;
override TILE_N: u32 = 64;
override TILE_K: u32 = 16;
override BLOCK_M: u32 = 4;
override BLOCK_N: u32 = 4;
override TRANSPOSE_B: bool = false;

// Array sizes must be fixed when the module is created; specialise() (src/kernels/specialise.ts) rewrites these lines for
// the shape being compiled (TILE_M·TILE_K/4, TILE_K·TILE_N/4, BLOCK_M·BLOCK_N/4).
const A_TILE_VEC4S: u32 = 256u;
const B_TILE_VEC4S: u32 = 256u;
const ACC_VEC4S: u32 = 4u;

// The element type of A and B and its size in bytes. The f16 build (src/kernels/matmul/source.ts)
// retypes this alias to f16 and sets AB_BYTES to 2: storage, tiles and the four-term products are
// then f16, while each four-term sum is widened to f32 before it joins the accumulator (the long
// sum over K stays f32) and C stays f32. The f32 kernel is unchanged by the alias.
alias AB = f32;
const AB_BYTES: u32 = 4u;

struct Dims {
  M: u32,
  N: u32,
  K: u32,
  pad: u32,
}

@group(0) @binding(0) var<storage, read> A: array<vec4<AB>>;
@group(0) @binding(1) var<storage, read> B: array<vec4<AB>>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> dims: Dims;

// tileA[m][k/4] holds A[row0+m][k0+k .. +3]; tileB[k][n/4] holds B[k0+k][col0+n .. +3].
var<workgroup> tileA: array<vec4<AB>, A_TILE_VEC4S>;
var<workgroup> tileB: array<vec4<AB>, B_TILE_VEC4S>;

fn loadA(m: u32, k: u32) -> AB {
  let i = m * dims.K + k;
  return A[i / 4u][i % 4u];
}

fn loadB(k: u32, n: u32) -> AB {
  var i: u32;
  if (TRANSPOSE_B) {
    i = n * dims.K + k;
  } else {
    i = k * dims.N + n;
  }
  return B[i / 4u][i % 4u];
}

@compute @workgroup_size(TILE_N / BLOCK_N, TILE_M / BLOCK_M)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let TX = TILE_N / BLOCK_N;
  let TY = TILE_M / BLOCK_M;
  let K4 = TILE_K / 4u;
  let N4 = TILE_N / 4u;
  let BN4 = BLOCK_N / 4u;
  let row0 = wid.y * TILE_M;
  let col0 = wid.x * TILE_N;
  let tid = lid.y * TX + lid.x;
  let threads = TX * TY;
  // Uniform for the whole dispatch, so every invocation takes the same branch.
  let vecA = dims.K % 4u == 0u;
  let vecB = !TRANSPOSE_B && dims.N % 4u == 0u;
  let vecC = dims.N % 4u == 0u;
  var acc: array<vec4<f32>, ACC_VEC4S>;
  let kTiles = (dims.K + TILE_K - 1u) / TILE_K;
  for (var t = 0u; t < kTiles; t++) {
    trace_begin(wid, tid, t);
    let k0 = t * TILE_K;
    for (var i = tid; i < TILE_M * K4; i += threads) {
      let gm = row0 + i / K4;
      let gk = k0 + (i % K4) * 4u;
      var v = vec4<AB>(0.0);
      // Trace: one 16-byte access, or four 4-byte ones on the element path (skipped where out of range).
      if (vecA) {
        trace_access(gm < dims.M && gk < dims.K, 8u, gm * dims.K + gk);
      } else {
        for (var q = 0u; q < 4u; q++) {
          trace_access(gm < dims.M && gk + q < dims.K, 0u, gm * dims.K + gk + q);
        }
      }
      if (vecA) {
        if (gm < dims.M && gk < dims.K) {
          v = A[(gm * dims.K + gk) / 4u];
          count_read(4u * AB_BYTES);
        }
      } else if (gm < dims.M) {
        for (var q = 0u; q < 4u; q++) {
          if (gk + q < dims.K) {
            v[q] = loadA(gm, gk + q);
            count_read(AB_BYTES);
          }
        }
      }
      trace_access(true, 11u, i * 4u);
      tileA[i] = v;
    }
    for (var i = tid; i < TILE_K * N4; i += threads) {
      let gk = k0 + i / N4;
      let gn = col0 + (i % N4) * 4u;
      var v = vec4<AB>(0.0);
      if (vecB) {
        trace_access(gk < dims.K && gn < dims.N, 9u, gk * dims.N + gn);
      } else {
        for (var q = 0u; q < 4u; q++) {
          var bi = gk * dims.N + gn + q;
          if (TRANSPOSE_B) {
            bi = (gn + q) * dims.K + gk;
          }
          trace_access(gk < dims.K && gn + q < dims.N, 1u, bi);
        }
      }
      if (vecB) {
        if (gk < dims.K && gn < dims.N) {
          v = B[(gk * dims.N + gn) / 4u];
          count_read(4u * AB_BYTES);
        }
      } else if (gk < dims.K) {
        for (var q = 0u; q < 4u; q++) {
          if (gn + q < dims.N) {
            v[q] = loadB(gk, gn + q);
            count_read(AB_BYTES);
          }
        }
      }
      trace_access(true, 13u, i * 4u);
      tileB[i] = v;
    }
    workgroupBarrier();
    // The four B vec4s of a column group and each row's A vec4 are plain values, not arrays: a
    // backend that cannot keep a dynamically indexed array in registers spills it to memory.
    for (var kk = 0u; kk < K4; kk++) {
      for (var j = 0u; j < BN4; j++) {
        let base = kk * 4u * N4 + lid.x + j * TX;
        for (var q = 0u; q < 4u; q++) {
          trace_access(true, 14u, (base + q * N4) * 4u);
        }
        let b0 = tileB[base];
        let b1 = tileB[base + N4];
        let b2 = tileB[base + 2u * N4];
        let b3 = tileB[base + 3u * N4];
        for (var i = 0u; i < BLOCK_M; i++) {
          trace_access(true, 12u, ((lid.y + i * TY) * K4 + kk) * 4u);
          let a = tileA[(lid.y + i * TY) * K4 + kk];
          let o = i * BN4 + j;
          // Plain multiply-add, not fma(): a fused fma is exact, so a backend without a native
          // instruction (a CPU adapter's JIT) may call a slow software routine for it.
          acc[o] += vec4<f32>(a.x * b0 + a.y * b1 + a.z * b2 + a.w * b3);
        }
      }
    }
    trace_pause();
    // The next iteration overwrites the tiles: everyone must be done reading them.
    workgroupBarrier();
  }
  trace_end();
  for (var i = 0u; i < BLOCK_M; i++) {
    let m = row0 + lid.y + i * TY;
    if (m >= dims.M) {
      continue;
    }
    for (var j = 0u; j < BN4; j++) {
      let n = col0 + (lid.x + j * TX) * 4u;
      let v = acc[i * BN4 + j];
      if (vecC) {
        if (n < dims.N) {
          C[(m * dims.N + n) / 4u] = v;
          count_write(16u);
        }
      } else {
        for (var q = 0u; q < 4u; q++) {
          if (n + q < dims.N) {
            let e = m * dims.N + n + q;
            C[e / 4u][e % 4u] = v[q];
            count_write(4u);
          }
        }
      }
    }
  }
  flush_counts();
}
