// Between a token-major activation and attention's head-major layout. A linear layer writes
// [B, T, stride] rows (q, k, v side by side in one [B, T, 3C] row, or one [B, T, C] tensor);
// shaders/attention/flash.wgsl and the backward kernels read [B·H, T, d]. TO_HEADS copies
//   heads[b][h][t][c] = rows[(b·T + t)·stride + offset + h·d + c]
// and TO_HEADS = false copies back the other way (attention's output into [B, T, C] rows, or dQ,
// dK, dV into their thirds of dQKV). A pure copy: one invocation per element of the head-major
// tensor, reading one float and writing one; neighbours take neighbouring c, so both sides' accesses
// run along contiguous d-wide stretches.
override WG: u32 = 256;
override TO_HEADS: bool = true;

struct Params {
  batch: u32,
  seq: u32,
  heads: u32,
  head_dim: u32,
  stride: u32,
  offset: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = gid.x + gid.y * nwg.x * WG;
  let d = P.head_dim;
  if (e >= P.batch * P.heads * P.seq * d) {
    return;
  }
  // e indexes the head-major tensor [b][h][t][c].
  let c = e % d;
  let t = (e / d) % P.seq;
  let h = (e / (d * P.seq)) % P.heads;
  let b = e / (d * P.seq * P.heads);
  let row = (b * P.seq + t) * P.stride + P.offset + h * d + c;
  if (TO_HEADS) {
    dst[e] = src[row];
  } else {
    dst[row] = src[e];
  }
  count_read(4u);
  count_write(4u);
  flush_counts();
}
