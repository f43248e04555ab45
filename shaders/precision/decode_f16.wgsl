// The way back from the cast kernel's words (cast.wgsl: (bf16 << 16) | fp16): each word's fp16
// half widened to float32, exactly, with u32 bit operations only (no shader-f16, and no
// implementation-defined handling of fp16 subnormals by unpack2x16float). The value stays
// loss-scaled: AdamW divides the scale out. A training step that stores its gradients in fp16 runs
// cast then this: what it gets back is exactly what fp16 holds.
override WG: u32 = 256;

struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> words: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;

fn f16_to_f32_bits(h: u32) -> u32 {
  let sign = (h & 0x8000u) << 16u;
  let e = (h >> 10u) & 0x1fu;
  let m = h & 0x3ffu;
  if (e == 0x1fu) {
    // Infinity, or NaN (its payload kept in the top mantissa bits).
    return sign | 0x7f800000u | (m << 13u);
  }
  if (e != 0u) {
    return sign | ((e + 112u) << 23u) | (m << 13u);
  }
  if (m == 0u) {
    return sign;
  }
  // Subnormal fp16, m · 2^−24: normalise so the top set bit of m becomes the implicit one.
  let lz = countLeadingZeros(m) - 21u;
  return sign | ((113u - lz) << 23u) | ((m << (lz + 13u)) & 0x7fffffu);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= P.n) {
    return;
  }
  out[i] = f16_to_f32_bits(words[i] & 0xffffu);
  count_read(4u);
  count_write(4u);
  flush_counts();
}
