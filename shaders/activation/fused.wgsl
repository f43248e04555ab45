// Fused: out = gelu(x + bias) + residual in one pass. The intermediate values live in registers
// instead of round-tripping through global memory, so each element costs 12 bytes of traffic
// (x, residual in; out) instead of 28 over the three unfused passes: same FLOPs, ~2.3x fewer bytes,
// and for a memory-bound chain, time follows bytes.
// gelu() comes from gelu.wgsl, prepended by the host.
override WORKGROUP_SIZE: u32 = 256;

struct Params {
  n: u32,
  h: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read> residual: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  if (i >= P.n) {
    return;
  }
  out[i] = gelu(x[i] + bias[i % P.h]) + residual[i];
  // Bias counted once per element of row 0, as in the unfused bias pass.
  count_read(select(8u, 12u, i < P.h));
  count_write(4u);
  flush_counts();
}
