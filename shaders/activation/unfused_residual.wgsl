// Unfused pass 3 of 3: out = t + residual, in place in t. One FLOP for 12 bytes: pure traffic.
override WORKGROUP_SIZE: u32 = 256;
override INSTRUMENTED: bool = false;

struct Params {
  n: u32,
  h: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> t: array<f32>;
@group(0) @binding(2) var<storage, read> residual: array<f32>;
@group(1) @binding(0) var<storage, read_write> COUNTERS: array<atomic<u32>, 2>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  if (i >= P.n) {
    return;
  }
  t[i] = t[i] + residual[i];
  if (INSTRUMENTED) {
    atomicAdd(&COUNTERS[0], 8u);
    atomicAdd(&COUNTERS[1], 4u);
  }
}
