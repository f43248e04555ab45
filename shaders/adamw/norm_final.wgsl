// Global gradient norm, stage 2 of 2, and the clipping factor (PyTorch's clip_grad_norm_):
//   stats[0] = norm = √(Σ partials)·grad_scale,  stats[1] = clip = min(1, max_norm / (norm + 1e-6)),
// or 1 when max_norm ≤ 0 (clipping off); stats[2] = 1 when the norm is not finite (a gradient
// overflowed under loss scaling: the update skips the step), else 0. Finiteness is read from the
// exponent bits, since WGSL lets a compiler assume floats are finite and drop an isinf-style test.
// One workgroup of WG ≥ the number of partials, merged in a fixed tree. The update kernel reads
// stats[1] and stats[2]; the trainer reads stats[0] and stats[2] for its curves.
override WG: u32 = 64;

struct Hyper {
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weight_decay: f32,
  // 1 − β1ᵗ and 1 − β2ᵗ, computed on the host in float64 for this step.
  bc1: f32,
  bc2: f32,
  max_norm: f32,
  // 1/S under dynamic loss scaling (the gradients were computed from a loss scaled by S), else 1.
  grad_scale: f32,
}

struct Params {
  n: u32,
  groups: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<uniform> H: Hyper;
@group(0) @binding(2) var<storage, read> partial: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;

var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  if (lid < P.groups) {
    s = partial[lid];
    count_read(4u);
  }
  red[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k /= 2u) {
    if (lid < k) {
      red[lid] += red[lid + k];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let norm = sqrt(red[0]) * H.grad_scale;
    let finite = (bitcast<u32>(norm) & 0x7f800000u) != 0x7f800000u;
    stats[0] = norm;
    stats[1] = select(1.0, min(1.0, H.max_norm / (norm + 1e-6)), H.max_norm > 0.0 && finite);
    stats[2] = select(1.0, 0.0, finite);
    count_write(12u);
  }
  flush_counts();
}
