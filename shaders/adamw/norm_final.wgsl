// Global gradient norm, stage 2 of 2, and the clipping factor (PyTorch's clip_grad_norm_):
//   stats[0] = norm = √(Σ partials),  stats[1] = clip = min(1, max_norm / (norm + 1e-6)),
// or 1 when max_norm ≤ 0 (clipping off). One workgroup of WG ≥ the number of partials, merged in
// a fixed tree. The update kernel reads stats[1]; the trainer may read stats[0] for its curve.
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
    let norm = sqrt(red[0]);
    stats[0] = norm;
    stats[1] = select(1.0, min(1.0, H.max_norm / (norm + 1e-6)), H.max_norm > 0.0);
    count_write(8u);
  }
  flush_counts();
}
