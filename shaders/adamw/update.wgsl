// AdamW update of one segment of the flat parameter buffer (torch.optim.AdamW semantics, the
// gradient first scaled by the clipping factor of norm_final.wgsl):
//   g = grad·clip;  m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²
//   p = p·(1 − lr·λ) − lr·(m / bc1) / (√(v / bc2) + ε),   λ = weight_decay where the segment decays
// Segments let matrices decay and biases / LayerNorm gains not, in one buffer: the host dispatches
// this once per segment with its own (offset, count, decay). One invocation per element: reads p,
// g, m, v, writes p, m, v; invocation 0 of each workgroup reads the clip factor into workgroup
// memory for the others. Elementwise, so deterministic.
override WG: u32 = 256;

struct Hyper {
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weight_decay: f32,
  bc1: f32,
  bc2: f32,
  max_norm: f32,
}

struct Segment {
  offset: u32,
  count: u32,
  decay: u32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> S: Segment;
@group(0) @binding(1) var<uniform> H: Hyper;
@group(0) @binding(2) var<storage, read_write> params: array<f32>;
@group(0) @binding(3) var<storage, read> grads: array<f32>;
@group(0) @binding(4) var<storage, read_write> m: array<f32>;
@group(0) @binding(5) var<storage, read_write> v: array<f32>;
@group(0) @binding(6) var<storage, read> stats: array<f32>;

var<workgroup> clip_sh: f32;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let first = (wg.x + wg.y * nwg.x) * WG;
  // Whole workgroups past the segment (the 2-D grid may overshoot) leave at once, uniformly.
  if (first >= S.count) {
    return;
  }
  if (lid == 0u) {
    clip_sh = stats[1];
    count_read(4u);
  }
  let clip = workgroupUniformLoad(&clip_sh);
  let j = first + lid;
  if (j < S.count) {
    let i = S.offset + j;
    let g = grads[i] * clip;
    let mi = H.beta1 * m[i] + (1.0 - H.beta1) * g;
    let vi = H.beta2 * v[i] + (1.0 - H.beta2) * g * g;
    let decay = select(0.0, H.weight_decay, S.decay != 0u);
    params[i] = params[i] * (1.0 - H.lr * decay) - H.lr * (mi / H.bc1) / (sqrt(vi / H.bc2) + H.eps);
    m[i] = mi;
    v[i] = vi;
    count_read(16u);
    count_write(12u);
  }
  flush_counts();
}
