// Traffic counters, shared by every kernel in shaders/ (appended by specialise(), in
// src/kernels/specialise.ts; a kernel file never declares these itself).
//
// A kernel reports each global-memory load and store it makes with count_read(bytes) /
// count_write(bytes) and calls flush_counts() once before it returns. Each invocation sums in
// private registers and adds to the two atomics once at the end, so counting does not serialise
// the kernel. The timing build sets INSTRUMENTED = false: every hook is behind that constant, so
// the compiler drops them and the timed kernel carries no instrumentation. The binding is always
// there (group 1, binding 0; static use does not depend on an override), so instrumented and
// timing builds have the same layout and are bound the same way (src/gpu/counters.ts).
// Slot 0 = bytes read from global memory, slot 1 = bytes written; tests hold both to the kernel's
// cost model (src/kernels/<kernel>/cost.ts) exactly.
override INSTRUMENTED: bool = false;

@group(1) @binding(0) var<storage, read_write> COUNTERS: array<atomic<u32>, 2>;

var<private> counted_read: u32 = 0u;
var<private> counted_written: u32 = 0u;

fn count_read(bytes: u32) {
  if (INSTRUMENTED) {
    counted_read += bytes;
  }
}

fn count_write(bytes: u32) {
  if (INSTRUMENTED) {
    counted_written += bytes;
  }
}

fn flush_counts() {
  if (INSTRUMENTED) {
    if (counted_read > 0u) {
      atomicAdd(&COUNTERS[0], counted_read);
    }
    if (counted_written > 0u) {
      atomicAdd(&COUNTERS[1], counted_written);
    }
  }
}
