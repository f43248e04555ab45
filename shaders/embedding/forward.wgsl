// Token + position embedding, the gather: out[i][c] = wte[tokens[i]][c] + wpe[i mod T][c] over
// out [B·T, C]. One invocation per output element (neighbours take neighbouring c, so the wte row
// and wpe row reads coalesce): reads the position's token id, one float of wte and one of wpe,
// writes one float. A token id past the vocabulary reads the last row rather than out of bounds
// (the data loader only produces ids < vocab; the CPU reference throws on one).
override WG: u32 = 256;

struct Params {
  batch: u32,
  seq: u32,
  channels: u32,
  vocab: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> wte: array<f32>;
@group(0) @binding(3) var<storage, read> wpe: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = gid.x + gid.y * nwg.x * WG;
  let C = P.channels;
  if (e >= P.batch * P.seq * C) {
    return;
  }
  let i = e / C;
  let c = e % C;
  let tok = min(tokens[i], P.vocab - 1u);
  out[e] = wte[tok * C + c] + wpe[(i % P.seq) * C + c];
  count_read(12u);
  count_write(4u);
  flush_counts();
}
