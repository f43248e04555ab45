// f32 weight-only GEMV/GEMM (shaders/quant/f32.wgsl, read it first) with the K reduction done by
// subgroup operations instead of a tree in workgroup memory. Needs the `subgroups` feature; the
// decode lab offers it only where the adapter reports it (src/kernels/quant/features.ts).
//
// The K loop, the loads and the counters are identical to f32.wgsl, so it moves the same global
// bytes (gemvCost('f32', …) holds exactly); only the reduction differs:
//  1. subgroupAdd sums each accumulator across the invocations of one subgroup in registers
//     (no workgroup memory, no barrier);
//  2. one invocation per subgroup writes its ACC sums to a compact slot, taken from a workgroup
//     atomic counter, because WGSL says nothing about how invocations are grouped into subgroups
//     or how large they are (4 on SwiftShader, 32 on NVIDIA, 16–64 elsewhere, possibly varying):
//     the kernel makes no assumption beyond "each invocation is in exactly one subgroup";
//  3. after one barrier, ACC invocations each add the few subgroup sums of their output (WG / sg of
//     them: 2 at WG = 64 on a 32-wide GPU), in slot order.
// The slot order depends on which subgroup's atomicAdd lands first, so the last bits of a sum may
// vary between runs (float addition is not associative); the check tolerance is far above that.
enable subgroups;

override WG: u32 = 64;

// Host-rewritten sizes (ROWS, M_TILE, ROWS·M_TILE, WG·ROWS·M_TILE), as in f32.wgsl. PARTIALS is
// one slot per invocation per accumulator: enough for any subgroup size down to 1.
const ROWS: u32 = 4u;
const M_TILE: u32 = 4u;
const ACC: u32 = 16u;
const PARTIALS: u32 = 1024u;

struct Dims {
  M: u32,
  N: u32,
  K: u32,
  // 16-byte units per weight row.
  units: u32,
}

@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;

var<workgroup> partial: array<f32, PARTIALS>;
// Subgroups that have written their sums (workgroup memory starts zeroed).
var<workgroup> subgroups_done: atomic<u32>;

@compute @workgroup_size(WG)
fn main(
  @builtin(local_invocation_index) tid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let m0 = wid.x * M_TILE;
  let n0 = wid.y * ROWS;
  let rows = min(ROWS, dims.N - n0);
  let ms = min(M_TILE, dims.M - m0);
  let K4 = dims.K / 4u;
  var acc: array<f32, ACC>;

  for (var u = tid; u < dims.units; u += WG) {
    var w: array<vec4<f32>, ROWS>;
    for (var r = 0u; r < ROWS; r++) {
      if (r < rows) {
        w[r] = W[(n0 + r) * dims.units + u];
        count_read(16u);
      }
    }
    for (var m = 0u; m < M_TILE; m++) {
      if (m < ms) {
        let xv = X[(m0 + m) * K4 + u];
        count_read(16u);
        for (var r = 0u; r < ROWS; r++) {
          acc[r * M_TILE + m] += dot(w[r], xv);
        }
      }
    }
  }

  // 1. Reduce within each subgroup (every invocation is active here: uniform control flow), the
  // rows·M_TILE live outputs only: a run-time bound, not unrolled by lazy drivers (src/kernels/loops.ts).
  var sums: array<f32, ACC>;
  for (var i = 0u; i < rows * M_TILE; i++) {
    sums[i] = subgroupAdd(acc[i]);
  }
  // 2. One writer per subgroup, to a compact slot.
  if (lane == 0u) {
    let slot = atomicAdd(&subgroups_done, 1u);
    for (var i = 0u; i < rows * M_TILE; i++) {
      partial[i * WG + slot] = sums[i];
    }
  }
  workgroupBarrier();
  // 3. Sum the subgroups' partials of each output.
  if (tid < ACC) {
    let r = tid / M_TILE;
    let m = tid % M_TILE;
    if (r < rows && m < ms) {
      let n_subgroups = atomicLoad(&subgroups_done);
      var total = 0.0;
      for (var s = 0u; s < n_subgroups; s++) {
        total += partial[tid * WG + s];
      }
      Y[(m0 + m) * dims.N + n0 + r] = total;
      count_write(4u);
    }
  }
  flush_counts();
}
