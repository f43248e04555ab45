// GELU backward (fused with the bias): dz = dy · gelu'(z + bias[col]) over [rows, cols], the
// gradient through y = gelu(z + bias) where z is the matmul's output. The pre-activation is
// recomputed from z and the bias rather than stored by the forward (the fused forward never
// writes it). dbias is the column sum of dz: src/kernels/linear's bias-gradient kernel, not here,
// since a sum over rows in an elementwise kernel would need float atomics.
//   gelu'(a) = ½(1 + t) + ½·a·(1 − t²)·√(2/π)·(1 + 3·0.044715·a²),  t = tanh(√(2/π)(a + 0.044715·a³))
// GELU_K and GELU_C come from shaders/activation/gelu.wgsl, prepended by the host; u is clamped
// the same way. One invocation per element: reads z, dy (and the bias), writes dz.
override WG: u32 = 256;
override HAS_BIAS: bool = true;

struct Params {
  n: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dz: array<f32>;

fn gelu_grad(a: f32) -> f32 {
  let u = clamp(GELU_K * (a + GELU_C * (a * a * a)), -10.0, 10.0);
  let t = tanh(u);
  return 0.5 * (1.0 + t) + 0.5 * a * (1.0 - t * t) * GELU_K * (1.0 + 3.0 * GELU_C * a * a);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= P.n) {
    return;
  }
  var a = z[i];
  count_read(8u);
  if (HAS_BIAS) {
    a += bias[i % P.cols];
    count_read(4u);
  }
  dz[i] = dy[i] * gelu_grad(a);
  count_write(4u);
  flush_counts();
}
