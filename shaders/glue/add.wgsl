// The residual stream's add: out = a + b elementwise (x2 = x + attention, x3 = x2 + MLP, and the
// backward's two gradient paths into one residual). A separate pass because the residual input
// must stay intact for the LayerNorm backward. One invocation per element: two loads, one store.
override WG: u32 = 256;

struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= P.n) {
    return;
  }
  out[i] = a[i] + b[i];
  count_read(8u);
  count_write(4u);
  flush_counts();
}
