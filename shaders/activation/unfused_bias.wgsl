// Unfused pass 1 of 3: t = x + bias. The activation tensor is [rows, H] row-major with N = rows * H
// elements (the last row may be partial); bias has H elements and is broadcast over rows.
// Like every unfused pass it reads its input from global memory and writes its output back,
// so the next pass must read it again: the traffic that fusion removes.
override WORKGROUP_SIZE: u32 = 256;
// Global bytes are reported with count_read/count_write (shaders/common/counters.wgsl).

struct Params {
  n: u32, // elements
  h: u32, // hidden size: bias length
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> t: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  if (i >= P.n) {
    return;
  }
  t[i] = x[i] + bias[i % P.h];
  // Bias bytes are counted once, by row 0: later rows re-read the same H floats from cache, so
  // DRAM sees them once. x and t are touched exactly once per element.
  count_read(select(4u, 8u, i < P.h));
  count_write(4u);
  flush_counts();
}
