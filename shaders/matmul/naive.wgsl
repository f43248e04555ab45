// Naive matmul, C = A·B: one invocation per output element C[m][n]. Each invocation walks the
// whole K dimension, reading a row of A and a column of B straight from global memory, so every
// element of A is fetched N times and every element of B M times: 2·M·N·K loads for 2·M·N·K FLOPs,
// an arithmetic intensity of 1/4 FLOP per byte. This is the baseline the tiled variants beat.
override WG_X: u32 = 16;
override WG_Y: u32 = 16;
// B stored as N×K (row n holds column n of the product's B): S = Q·Kᵀ in attention without a copy.
override TRANSPOSE_B: bool = false;
// Global bytes are reported with count_read/count_write (shaders/common/counters.wgsl).

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

fn loadB(k: u32, n: u32) -> f32 {
  if (TRANSPOSE_B) {
    return B[n * dims.K + k];
  }
  return B[k * dims.N + n];
}

// Steps of this many k per trace window (shaders/matmul/trace_on.wgsl), so the access trace shows a
// K step like the tiled kernels'.
override TRACE_STEP_K: u32 = 16;

fn bIndex(k: u32, n: u32) -> u32 {
  if (TRANSPOSE_B) {
    return n * dims.K + k;
  }
  return k * dims.N + n;
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let n = gid.x;
  let m = gid.y;
  if (m >= dims.M || n >= dims.N) {
    return;
  }
  var acc = 0.0;
  for (var k = 0u; k < dims.K; k++) {
    trace_begin(wid, tid, k / TRACE_STEP_K);
    trace_access(true, 0u, m * dims.K + k);
    trace_access(true, 1u, bIndex(k, n));
    acc += A[m * dims.K + k] * loadB(k, n);
  }
  trace_pause();
  trace_end();
  C[m * dims.N + n] = acc;
  // K elements of A and K of B, 4 bytes each; one output written.
  count_read(dims.K * 8u);
  count_write(4u);
  flush_counts();
}
