// Naive matmul walked column-major: the same one-output-per-invocation kernel as naive.wgsl, but
// the fastest-varying invocation index x walks down a column of C (m) instead of along a row (n).
// Neighbouring invocations then read A[m][k] a whole row of A apart (K floats) and write C a row
// apart: every invocation of a subgroup touches its own 128-byte segment, where naive.wgsl's
// neighbours share one. Same bytes requested, same FLOPs; only the access pattern differs, which is
// the first lesson of the SGEMM ladder (coalescing).
override WG_X: u32 = 16;
override WG_Y: u32 = 16;
override TRANSPOSE_B: bool = false;
// Steps of this many k per trace window, so the access trace shows a K step like the tiled kernels'.
override TRACE_STEP_K: u32 = 16;

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

fn bIndex(k: u32, n: u32) -> u32 {
  if (TRANSPOSE_B) {
    return n * dims.K + k;
  }
  return k * dims.N + n;
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let m = gid.x;
  let n = gid.y;
  let live = m < dims.M && n < dims.N;
  var acc = 0.0;
  if (live) {
    for (var k = 0u; k < dims.K; k++) {
      trace_begin(wid, tid, k / TRACE_STEP_K);
      trace_access(true, 0u, m * dims.K + k);
      trace_access(true, 1u, bIndex(k, n));
      acc += A[m * dims.K + k] * B[bIndex(k, n)];
    }
    trace_pause();
    C[m * dims.N + n] = acc;
    // K elements of A and K of B, 4 bytes each; one output written.
    count_read(dims.K * 8u);
    count_write(4u);
  }
  trace_end();
  flush_counts();
}
