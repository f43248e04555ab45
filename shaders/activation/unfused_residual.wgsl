// Unfused pass 3 of 3: out = t + residual, in place in t. One FLOP for 12 bytes: pure traffic.
override WORKGROUP_SIZE: u32 = 256;

struct Params {
  n: u32,
  h: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> t: array<f32>;
@group(0) @binding(2) var<storage, read> residual: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  if (i >= P.n) {
    return;
  }
  t[i] = t[i] + residual[i];
  count_read(8u);
  count_write(4u);
  flush_counts();
}
