// Attention backward, step 1 of 3: delta_i = Σ_c dO_ic · O_ic for every query row, the term
// Σ_j P_ij·dP_ij that the softmax's backward subtracts (dS = P ⊙ (dP − delta)), computed once
// from O instead of from P and dP (FlashAttention-2, Algorithm 2, line 4). One invocation per row
// of the [bh·n, D] tensors: reads a row of dO and of O, writes one float.
override WG: u32 = 64;
const D: u32 = 64u;

struct Params {
  bh: u32,
  n: u32,
  causal: u32,
  scale: f32,
  // Equal to D: the loops over a row's D values end here, a run-time bound (a constant one is
  // unrolled by lazily compiling drivers, see src/kernels/loops.ts).
  d: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> dO: array<f32>;
@group(0) @binding(2) var<storage, read> O: array<f32>;
@group(0) @binding(3) var<storage, read_write> delta: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = gid.x + gid.y * nwg.x * WG;
  if (row >= P.bh * P.n) {
    return;
  }
  var s = 0.0;
  for (var c = 0u; c < P.d; c++) {
    s += dO[row * D + c] * O[row * D + c];
  }
  count_read(8u * D);
  delta[row] = s;
  count_write(4u);
  flush_counts();
}
