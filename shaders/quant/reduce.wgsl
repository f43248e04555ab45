// The reduction epilogue shared by the quantized GEMV kernels (appended to each by
// src/kernels/quant/source.ts, after the kernel so the compiler's line numbers still match it).
//
// Each invocation holds ACC = ROWS · M_TILE partial dot products over its share of K. They are
// written to workgroup memory (output i's partials in partial[i·WG .. i·WG + WG)), summed by a
// tree of WG/2, WG/4, … adds, and invocation i < ACC stores output i: row r = i / M_TILE of the
// tile, token m = i % M_TILE, times the kernel's output_scale(n) (1 for kernels whose scales are
// applied before the reduction; int8's per-channel scale is applied here, once per output).
//
// The including kernel declares: override WG, const ACC and M_TILE, `partial` (workgroup,
// WG · ACC floats), `Y` (storage f32, M × N), `dims` (with N), and fn output_scale(n: u32) -> f32.
// Call from uniform control flow (it has barriers), then flush_counts().
// Only the rows · M_TILE live partials are reduced: a run-time bound, so lazily compiling drivers do not
// unroll ACC copies of the tree (see src/kernels/loops.ts); the others are never stored.
fn reduce_and_store(tid: u32, acc: ptr<function, array<f32, ACC>>, m0: u32, n0: u32, rows: u32, ms: u32) {
  for (var i = 0u; i < rows * M_TILE; i++) {
    partial[i * WG + tid] = (*acc)[i];
  }
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (tid < s) {
      for (var i = 0u; i < rows * M_TILE; i++) {
        partial[i * WG + tid] += partial[i * WG + tid + s];
      }
    }
    workgroupBarrier();
  }
  if (tid < ACC) {
    let r = tid / M_TILE;
    let m = tid % M_TILE;
    if (r < rows && m < ms) {
      Y[(m0 + m) * dims.N + n0 + r] = partial[tid * WG] * output_scale(n0 + r);
      count_write(4u);
    }
  }
}
