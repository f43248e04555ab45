// Unfused pass 2 of 3: t = gelu(t), in place. 9 FLOPs per element against 8 bytes of traffic
// (about 1.1 FLOP/byte): even the most arithmetic pass of the chain sits far left of the ridge point
// of any GPU, so it runs at memory speed, not at compute speed.
// gelu() comes from gelu.wgsl, prepended by the host.
override WORKGROUP_SIZE: u32 = 256;

struct Params {
  n: u32,
  h: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> t: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  if (i >= P.n) {
    return;
  }
  t[i] = gelu(t[i]);
  count_read(4u);
  count_write(4u);
  flush_counts();
}
