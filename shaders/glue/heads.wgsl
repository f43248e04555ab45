// Moves attention heads between the trainer's row layout and the attention kernels' head layout.
// Rows: [B·T, WIDTH], the part-th D-column block holding H heads of HD side by side (the fused
// QKV projection's output, or a merged [B·T, D] tensor). Heads: [B·H, T, HD], what
// shaders/attention/flash.wgsl and the attention backward read and write. TO_HEADS gathers rows
// into heads (Q, K, V for the forward; dO for the backward); otherwise heads are scattered back
// into rows (O merged; dQ, dK, dV into dQKV). One invocation per element: one load, one store.
override WG: u32 = 256;
override TO_HEADS: bool = true;

struct Params {
  n: u32,
  seq: u32,
  d: u32,
  heads: u32,
  width: u32,
  part: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= P.n) {
    return;
  }
  // i indexes the heads layout [b, h, t, c].
  let hd = P.d / P.heads;
  let c = i % hd;
  let t = (i / hd) % P.seq;
  let bh = i / (hd * P.seq);
  let h = bh % P.heads;
  let b = bh / P.heads;
  let r = (b * P.seq + t) * P.width + P.part * P.d + h * hd + c;
  if (TO_HEADS) {
    dst[i] = src[r];
  } else {
    dst[r] = src[i];
  }
  count_read(4u);
  count_write(4u);
  flush_counts();
}
