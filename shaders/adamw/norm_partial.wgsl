// Global gradient norm, stage 1 of 2: partial[w] = Σ g² over the elements workgroup w visits.
// A fixed number of workgroups (NP, set by the host from the parameter count) each walk the flat
// gradient buffer in a grid stride (element i = w·WG + lid + k·NP·WG), so the assignment of
// elements to invocations, and the fixed tree that merges an invocation's sums, do not depend on
// scheduling: the norm is the same bits every run (no float atomics). Stage 2 (norm_final.wgsl)
// adds the NP partials. Every gradient is read once; each workgroup writes one partial.
override WG: u32 = 256;

struct Params {
  n: u32,
  groups: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;

var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = wg.x * WG + lid; i < P.n; i += P.groups * WG) {
    let g = grads[i];
    s += g * g;
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
    partial[wg.x] = red[0];
    count_write(4u);
  }
  flush_counts();
}
