// Starter: correct but unfused. It writes x + bias to the scratch buffer tmp and reads it back,
// the way two separate kernels (add bias, then GELU) would hand data to each other.
struct Params { rows: u32, cols: u32, n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> tmp: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

fn gelu(v: f32) -> f32 {
  let k = 0.7978845608; // sqrt(2 / pi)
  return 0.5 * v * (1.0 + tanh(k * (v + 0.044715 * v * v * v)));
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= p.n) {
    return;
  }
  tmp[i] = x[i] + bias[i % p.cols]; // "kernel 1": add the bias, store to global memory
  y[i] = gelu(tmp[i]);              // "kernel 2": load it back, apply GELU
}
