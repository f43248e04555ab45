// Bias of a linear layer added in place: y[m][n] += b[n] over y [M, N], after a matmul wrote
// X·W into y (the register-blocked matmul has no bias epilogue, and its bindings are shared with
// other labs, so the bias is this one elementwise pass). One invocation per element: reads y and
// b, writes y.
override WG: u32 = 256;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= P.rows * P.cols) {
    return;
  }
  y[i] = y[i] + b[i % P.cols];
  count_read(8u);
  count_write(4u);
  flush_counts();
}
