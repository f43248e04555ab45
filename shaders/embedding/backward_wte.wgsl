// Token embedding backward, the scatter-add without float atomics: dwte[v][c] = Σ_{i: tokens[i]=v}
// dout[i][c]. WGSL has no float atomics, and a sum whose order depends on scheduling would break
// the trainer's bit-identical resume, so each output is owned by one invocation: a workgroup per
// (vocab row v, WG columns), each invocation one column, summing the matching positions in
// position order. Token ids are staged WG at a time in workgroup memory (each id read once per
// workgroup, not once per column); a position's dout row is read only by its token's workgroup,
// so dout is read once in all. Every vocab row is written (zeros where the token never occurs).
// ACCUMULATE adds to what dwte holds: with a tied output head, the head's gradient goes first.
// The token-id traffic is vocab·⌈C/WG⌉·B·T ids: fine for the small vocabularies this trains.
override WG: u32 = 64;
override ACCUMULATE: bool = false;

struct Params {
  batch: u32,
  seq: u32,
  channels: u32,
  vocab: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read_write> dwte: array<f32>;

var<workgroup> tok_sh: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let v = wg.x;
  let C = P.channels;
  let c = wg.y * WG + lid;
  let n = P.batch * P.seq;
  var acc = 0.0;
  for (var i0 = 0u; i0 < n; i0 += WG) {
    if (i0 + lid < n) {
      tok_sh[lid] = tokens[i0 + lid];
      count_read(4u);
    }
    workgroupBarrier();
    if (c < C) {
      let end = min(WG, n - i0);
      for (var k = 0u; k < end; k++) {
        if (tok_sh[k] == v) {
          acc += dout[(i0 + k) * C + c];
          count_read(4u);
        }
      }
    }
    workgroupBarrier();
  }
  if (c < C) {
    if (ACCUMULATE) {
      acc = dwte[v * C + c] + acc;
      count_read(4u);
    }
    dwte[v * C + c] = acc;
    count_write(4u);
  }
  flush_counts();
}
