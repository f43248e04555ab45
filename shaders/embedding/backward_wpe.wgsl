// Position embedding backward: dwpe[t][c] = Σ_b dout[b·T + t][c]. One invocation per (t, c),
// summing over the batch in order: no atomics, the same bits every run. Reads B floats, writes one.
override WG: u32 = 256;

struct Params {
  batch: u32,
  seq: u32,
  channels: u32,
  vocab: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read_write> dwpe: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = gid.x + gid.y * nwg.x * WG;
  let TC = P.seq * P.channels;
  if (e >= TC) {
    return;
  }
  var acc = 0.0;
  for (var b = 0u; b < P.batch; b++) {
    acc += dout[b * TC + e];
  }
  count_read(4u * P.batch);
  dwpe[e] = acc;
  count_write(4u);
  flush_counts();
}
