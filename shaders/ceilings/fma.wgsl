// FMA chain: each invocation runs ITERATIONS steps of two independent vec4 fused multiply-adds
// (8 scalar FMAs = 16 FLOPs per step) on values held in registers. Two chains give the scheduler
// independent work to hide FMA latency; memory traffic is one load and one store per invocation,
// so the time is the device's achievable FP32 compute rate.
override WORKGROUP_SIZE: u32 = 256;
override ITERATIONS: u32 = 1024;

@group(0) @binding(0) var<storage, read_write> data: array<vec4<f32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  if (i >= arrayLength(&data)) {
    return;
  }
  var a = data[i];
  var b = a + vec4<f32>(0.5);
  // x <- x * 0.999 + 0.001 converges towards 1, so long chains never overflow or go denormal.
  let m = vec4<f32>(0.999);
  let c = vec4<f32>(0.001);
  for (var k = 0u; k < ITERATIONS; k++) {
    a = fma(a, m, c);
    b = fma(b, m, c);
  }
  data[i] = a + b;
  count_read(16u);
  count_write(16u);
  flush_counts();
}
