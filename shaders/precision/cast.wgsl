// Mixed-precision cast: each float32 gradient value (times a power-of-two loss scale) is rounded to
// fp16 and to bf16 with round-to-nearest-even, using only u32 bit operations, so it runs without
// the shader-f16 feature and gives the same bits on every GPU (pack2x16float's rounding and
// overflow are left to the implementation by the WGSL spec). It also counts, per format, the
// nonzero finite inputs that underflow to zero, land in the subnormal range, or overflow to
// infinity: what a loss scale is for.
//
// Output word i = (bf16 bits << 16) | fp16 bits.
// STATS: [0] fp16 → 0, [1] fp16 subnormal, [2] fp16 → inf, [3] bf16 → 0, [4] bf16 subnormal,
//        [5] bf16 → inf, [6] nonzero finite inputs.
override WORKGROUP_SIZE: u32 = 256;
override ELEMS_PER_THREAD: u32 = 8u;

const STAT_SLOTS: u32 = 7u;

struct Params {
  n: u32,
  // The loss scale is 2^scale_log2 (0…32).
  scale_log2: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> X: array<u32>;
@group(0) @binding(2) var<storage, read_write> OUT: array<u32>;
@group(0) @binding(3) var<storage, read_write> STATS: array<atomic<u32>, 7>;

var<workgroup> wg_stats: array<atomic<u32>, 7>;

// x · 2^k on the bits, exactly (k ≤ 32). Not a float multiply: WGSL lets an implementation flush
// float32 subnormals to zero, and SwiftShader did so for some runs and not others.
fn scale_bits(b: u32, k: u32) -> u32 {
  let sign = b & 0x80000000u;
  let e = (b >> 23u) & 0xffu;
  let m = b & 0x7fffffu;
  if (k == 0u || e == 0xffu || (e == 0u && m == 0u)) {
    return b;
  }
  if (e == 0u) {
    // Subnormal: value = m · 2^−149. Shifting m left by lz puts its top bit at bit 23.
    let lz = countLeadingZeros(m) - 8u;
    let ne = i32(k) + 1 - i32(lz);
    if (ne <= 0) {
      return sign | (m << k);
    }
    return sign | (u32(ne) << 23u) | ((m << lz) & 0x7fffffu);
  }
  let ne = e + k;
  if (ne >= 255u) {
    return sign | 0x7f800000u;
  }
  return sign | (ne << 23u) | m;
}

// IEEE binary32 bits → binary16 bits, round to nearest, ties to even.
fn f32_to_f16_rne(b: u32) -> u32 {
  let sign = (b >> 16u) & 0x8000u;
  let e = (b >> 23u) & 0xffu;
  let m = b & 0x7fffffu;
  if (e == 0xffu) {
    // Infinity stays infinity; NaN stays a (quiet) NaN.
    return sign | 0x7c00u | select(0u, 0x200u, m != 0u);
  }
  if (e >= 143u) {
    // ≥ 2^16: beyond fp16's largest finite value (65504) whatever the rounding.
    return sign | 0x7c00u;
  }
  if (e >= 113u) {
    // Normal fp16 (exponent −14…15): keep 10 mantissa bits, round on the 13 dropped ones.
    var h = ((e - 112u) << 10u) | (m >> 13u);
    let rest = m & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u) == 1u)) {
      // A carry out of the mantissa bumps the exponent; out of exponent 30 it gives 0x7c00 = ∞.
      h += 1u;
    }
    return sign | h;
  }
  if (e < 102u) {
    // Below 2^−25 (half the smallest subnormal): rounds to zero.
    return sign;
  }
  // Subnormal fp16: value = h · 2^−24, h = significand >> (126 − e).
  let full = m | 0x800000u;
  let shift = 126u - e;
  var h = full >> shift;
  let rest = full & ((1u << shift) - 1u);
  let half = 1u << (shift - 1u);
  if (rest > half || (rest == half && (h & 1u) == 1u)) {
    // Rounding up from the largest subnormal gives 0x400, the smallest normal: still correct bits.
    h += 1u;
  }
  return sign | h;
}

// IEEE binary32 bits → bfloat16 bits (the top 16 bits), round to nearest, ties to even.
fn f32_to_bf16_rne(b: u32) -> u32 {
  if ((b & 0x7f800000u) == 0x7f800000u && (b & 0x7fffffu) != 0u) {
    return (b >> 16u) | 0x40u;
  }
  // Adding 0x7fff (+1 when the kept part is odd) carries into bit 16 exactly when rounding up.
  return (b + 0x7fffu + ((b >> 16u) & 1u)) >> 16u;
}

// Per-invocation counts in registers (branch-free), added to the workgroup's atomics once per
// invocation: an atomic per value serialises the kernel.
struct Counts {
  zero: u32,
  sub: u32,
  inf: u32,
}

fn classify(c: ptr<function, Counts>, bits: u32, exp_mask: u32, mant_mask: u32) {
  let ex = bits & exp_mask;
  let mant = bits & mant_mask;
  (*c).zero += select(0u, 1u, ex == 0u && mant == 0u);
  (*c).sub += select(0u, 1u, ex == 0u && mant != 0u);
  (*c).inf += select(0u, 1u, ex == exp_mask && mant == 0u);
}

fn add_count(slot: u32, v: u32) {
  if (v > 0u) {
    atomicAdd(&wg_stats[slot], v);
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  // Each workgroup casts ELEMS_PER_THREAD · WORKGROUP_SIZE consecutive values; invocation lid takes
  // every WORKGROUP_SIZE-th of them, so each load instruction of the workgroup is contiguous.
  let group = wid.x + wid.y * nwg.x;
  let base = group * WORKGROUP_SIZE * ELEMS_PER_THREAD;
  var c16 = Counts(0u, 0u, 0u);
  var cbf = Counts(0u, 0u, 0u);
  var nonzero = 0u;
  for (var j = 0u; j < ELEMS_PER_THREAD; j++) {
    let i = base + j * WORKGROUP_SIZE + lid;
    if (i < P.n) {
      let raw = X[i];
      count_read(4u);
      let bits = scale_bits(raw, P.scale_log2);
      let h = f32_to_f16_rne(bits);
      let bf = f32_to_bf16_rne(bits);
      OUT[i] = (bf << 16u) | h;
      count_write(4u);
      let mag = raw & 0x7fffffffu;
      if (mag != 0u && (mag & 0x7f800000u) != 0x7f800000u) {
        nonzero += 1u;
        classify(&c16, h, 0x7c00u, 0x3ffu);
        classify(&cbf, bf, 0x7f80u, 0x7fu);
      }
    }
  }
  add_count(0u, c16.zero);
  add_count(1u, c16.sub);
  add_count(2u, c16.inf);
  add_count(3u, cbf.zero);
  add_count(4u, cbf.sub);
  add_count(5u, cbf.inf);
  add_count(6u, nonzero);
  // One global atomic per counter per workgroup.
  workgroupBarrier();
  if (lid < STAT_SLOTS) {
    atomicAdd(&STATS[lid], atomicLoad(&wg_stats[lid]));
    count_write(4u);
  }
  flush_counts();
}
