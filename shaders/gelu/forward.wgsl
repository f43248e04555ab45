// GELU forward for training: y = gelu(z + bias[col]) over z [rows, cols] (bias optional), where
// the existing epilogue (shaders/activation/fused.wgsl) also adds a residual the MLP does not
// have. gelu() is shaders/activation/gelu.wgsl's tanh form, prepended by the host, so the forward
// the model trains with is the one the activation lab measures. One invocation per element: reads
// z (and its bias), writes y. The backward (backward.wgsl) recomputes from z, so nothing else is
// stored.
override WG: u32 = 256;
override HAS_BIAS: bool = true;

struct Params {
  n: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= P.n) {
    return;
  }
  var a = z[i];
  count_read(4u);
  if (HAS_BIAS) {
    a += bias[i % P.cols];
    count_read(4u);
  }
  y[i] = gelu(a);
  count_write(4u);
  flush_counts();
}
