// STREAM-style copy: each invocation moves one vec4<f32> (16 bytes) from src to dst.
// No arithmetic at all, so its time is the device's achievable global-memory bandwidth:
// the roof that every memory-bound kernel in the playground is compared against.
override WORKGROUP_SIZE: u32 = 256;

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  // 2-D grid: large buffers need more than 65535 workgroups in x.
  let i = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  if (i < arrayLength(&dst)) {
    dst[i] = src[i];
    count_read(16u);
    count_write(16u);
  }
  flush_counts();
}
