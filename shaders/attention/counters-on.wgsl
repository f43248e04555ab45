// Instrumented prelude: every kernel in this folder reports its global loads and stores through
// these three functions. Each invocation sums in private registers and adds to the shared atomics
// once at the end, so the counting does not serialise the kernel (src/gpu/counters.ts).
@group(1) @binding(0) var<storage, read_write> COUNTERS: array<atomic<u32>, 2>;
var<private> countedRead: u32 = 0u;
var<private> countedWritten: u32 = 0u;

fn count_read(bytes: u32) {
  countedRead += bytes;
}

fn count_write(bytes: u32) {
  countedWritten += bytes;
}

fn flush_counts() {
  if (countedRead > 0u) {
    atomicAdd(&COUNTERS[0], countedRead);
  }
  if (countedWritten > 0u) {
    atomicAdd(&COUNTERS[1], countedWritten);
  }
}
