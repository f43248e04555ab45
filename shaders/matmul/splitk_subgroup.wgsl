// Split-K matmul, C = A·B, with the K reduction done by subgroup operations. Needs the `subgroups`
// feature; the host offers this build only where the adapter reports it (src/kernels/matmul/features.ts).
//
// A workgroup owns a small TILE_M × TILE_N block of C, and all of its WG invocations work on every
// output of that block: invocation t takes k = t, t + WG, t + 2·WG, … and keeps TILE_M·TILE_N
// partial dot products in registers. This is the shape for few outputs and a long K (a decode
// step's x·W, a K-heavy weight gradient), where one output per invocation leaves most of the GPU
// idle; for big square products the register-blocked kernels reuse far more (each workgroup here
// reads its rows of A and columns of B once, as a TILE_M × TILE_N output tile does).
//
// The partials are summed in three steps that assume nothing about how invocations are grouped
// into subgroups or how wide a subgroup is (WGSL fixes neither: 4 on SwiftShader, 8 on lavapipe
// and Intel, 32 on NVIDIA, 16–64 elsewhere, up to 128 allowed):
//  1. subgroupAdd sums each partial across the invocations of one subgroup, in registers;
//  2. one invocation per subgroup, the lowest active lane (subgroupMin of the lane ids, so no lane
//     is assumed to exist), takes a compact slot from a workgroup atomic counter and writes its
//     subgroup's sums there: the number of subgroups need not be WG / width;
//  3. after a barrier, invocation i < TILE_M·TILE_N adds the slots of output i, in slot order.
// Slot order depends on which subgroup's atomicAdd lands first, so the last bits of a sum may vary
// between runs (f32 addition is not associative); the check tolerance is far above that.
//
// Every loop bound is known only at run time (rows, columns and K of this dispatch, subgroups that
// reported), so a driver that compiles at first dispatch (Mesa's llvmpipe) has nothing to unroll.
enable subgroups;

override TILE_M: u32 = 2;
override TILE_N: u32 = 4;
override WG: u32 = 64;
// B stored as N×K (row n holds column n of the product's B): S = Q·Kᵀ without a copy.
override TRANSPOSE_B: bool = false;

// Array sizes must be fixed when the module is created; specialise() (src/kernels/specialise.ts)
// rewrites these lines: TILE_N (a B register row), TILE_M·TILE_N (accumulators) and
// TILE_M·TILE_N·WG (one slot per invocation per output: enough for subgroups as narrow as 1).
const B_REGS: u32 = 4u;
const ACC: u32 = 8u;
const PARTIALS: u32 = 512u;

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

// partial[o · WG + slot]: subgroup `slot`'s sum for output o = r · TILE_N + c.
var<workgroup> partial: array<f32, PARTIALS>;
// Subgroups that have written their sums (workgroup memory starts zeroed).
var<workgroup> subgroups_done: atomic<u32>;

fn loadB(k: u32, n: u32) -> f32 {
  if (TRANSPOSE_B) {
    return B[n * dims.K + k];
  }
  return B[k * dims.N + n];
}

@compute @workgroup_size(WG)
fn main(
  @builtin(local_invocation_index) tid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let row0 = wid.y * TILE_M;
  let col0 = wid.x * TILE_N;
  // Uniform across the workgroup (workgroup id and uniform dims only), so the reduction loops
  // below, which call subgroupAdd, run in uniform control flow.
  let rows = min(TILE_M, dims.M - row0);
  let cols = min(TILE_N, dims.N - col0);
  var acc: array<f32, ACC>;
  var b: array<f32, B_REGS>;

  for (var k = tid; k < dims.K; k += WG) {
    // Each in-range element of this k's B row and A column is read once per workgroup.
    for (var c = 0u; c < cols; c++) {
      b[c] = loadB(k, col0 + c);
    }
    count_read(cols * 4u);
    for (var r = 0u; r < rows; r++) {
      let a = A[(row0 + r) * dims.K + k];
      for (var c = 0u; c < cols; c++) {
        acc[r * TILE_N + c] += a * b[c];
      }
    }
    count_read(rows * 4u);
  }

  // 1. and 2.: reduce within each subgroup; its lowest active lane writes the sums to a fresh slot.
  let writer = lane == subgroupMin(lane);
  var slot = 0u;
  if (writer) {
    slot = atomicAdd(&subgroups_done, 1u);
  }
  for (var r = 0u; r < rows; r++) {
    for (var c = 0u; c < cols; c++) {
      let o = r * TILE_N + c;
      let sum = subgroupAdd(acc[o]);
      if (writer) {
        partial[o * WG + slot] = sum;
      }
    }
  }
  workgroupBarrier();
  // 3. Sum the subgroups' slots of each output.
  let r = tid / TILE_N;
  let c = tid % TILE_N;
  if (r < rows && c < cols) {
    let n_subgroups = atomicLoad(&subgroups_done);
    let o = r * TILE_N + c;
    var total = 0.0;
    for (var s = 0u; s < n_subgroups; s++) {
      total += partial[o * WG + s];
    }
    C[(row0 + r) * dims.N + col0 + c] = total;
    count_write(4u);
  }
  flush_counts();
}
