/**
 * CPU reference for the mixed-precision cast, written from the numbers rather than the bits: each
 * value is rounded to the nearest representable fp16 / bf16 value (ties to even) with exact
 * float64 arithmetic, then encoded. The GPU kernel works on the bits; agreeing bit for bit on
 * every input (ties, subnormals, overflow edges) checks one against the other.
 */

/** An IEEE-style binary format: mantissa bits, exponent range of normal numbers, bias. */
export interface FloatFormat {
  name: 'fp16' | 'bf16';
  mantissa: number;
  minExp: number;
  maxExp: number;
  bias: number;
  expBits: number;
}

export const FP16: FloatFormat = { name: 'fp16', mantissa: 10, minExp: -14, maxExp: 15, bias: 15, expBits: 5 };
export const BF16: FloatFormat = { name: 'bf16', mantissa: 7, minExp: -126, maxExp: 127, bias: 127, expBits: 8 };

/** Largest finite value, smallest normal, smallest subnormal of a format. */
export function formatRange(f: FloatFormat): { max: number; minNormal: number; minSubnormal: number } {
  return {
    max: (2 - 2 ** -f.mantissa) * 2 ** f.maxExp,
    minNormal: 2 ** f.minExp,
    minSubnormal: 2 ** (f.minExp - f.mantissa),
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function f32Bits(x: number): number {
  f32[0] = x;
  return u32[0];
}

export function bitsToF32(b: number): number {
  u32[0] = b >>> 0;
  return f32[0];
}

/** Rounds x (any float64; the kernel's inputs are float32) to `f`, ties to even, and encodes it. */
export function roundToFormat(x: number, f: FloatFormat): number {
  const signBit = 1 << (f.mantissa + f.expBits);
  const expAll = ((1 << f.expBits) - 1) << f.mantissa;
  const sign = x < 0 || Object.is(x, -0) ? signBit : 0;
  const a = Math.abs(x);
  if (Number.isNaN(x)) return expAll | (1 << (f.mantissa - 1));
  if (a === Infinity) return sign | expAll;
  if (a === 0) return sign;
  let e = Math.floor(Math.log2(a));
  // log2 may be off by one near powers of two; fix it exactly.
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  if (e < f.minExp) e = f.minExp; // subnormal range: fixed spacing 2^(minExp − mantissa)
  const q = a / 2 ** (e - f.mantissa); // exact: a power-of-two scaling
  let n = Math.floor(q);
  const frac = q - n;
  if (frac > 0.5 || (frac === 0.5 && n % 2 === 1)) n++;
  if (n === 2 ** (f.mantissa + 1)) {
    n /= 2;
    e++;
  }
  if (e > f.maxExp) return sign | expAll;
  if (n < 2 ** f.mantissa) return sign | n; // subnormal (e == minExp), or zero
  return sign | ((e + f.bias) << f.mantissa) | (n - 2 ** f.mantissa);
}

/** Decodes fp16 / bf16 bits to a number (exact). */
export function decode(bits: number, f: FloatFormat): number {
  const sign = bits >> (f.mantissa + f.expBits) ? -1 : 1;
  const ex = (bits >> f.mantissa) & ((1 << f.expBits) - 1);
  const m = bits & ((1 << f.mantissa) - 1);
  if (ex === (1 << f.expBits) - 1) return m ? NaN : sign * Infinity;
  if (ex === 0) return sign * m * 2 ** (f.minExp - f.mantissa);
  return sign * (1 + m / 2 ** f.mantissa) * 2 ** (ex - f.bias);
}

export interface FormatCounts {
  /** Nonzero finite inputs that became ±0. */
  underflow: number;
  /** Nonzero finite inputs that became subnormal (precision lost, not yet zero). */
  subnormal: number;
  /** Finite inputs that became ±∞. */
  overflow: number;
}

export interface CastStats {
  fp16: FormatCounts;
  bf16: FormatCounts;
  /** Nonzero finite inputs (the denominator of each fraction). */
  nonzero: number;
}

export const emptyCounts = (): FormatCounts => ({ underflow: 0, subnormal: 0, overflow: 0 });

function classify(bits: number, f: FloatFormat, c: FormatCounts): void {
  const ex = (bits >> f.mantissa) & ((1 << f.expBits) - 1);
  const m = bits & ((1 << f.mantissa) - 1);
  if (ex === 0 && m === 0) c.underflow++;
  else if (ex === 0) c.subnormal++;
  else if (ex === (1 << f.expBits) - 1 && m === 0) c.overflow++;
}

/** Output words (bf16 << 16 | fp16) and counts for `input` × `scale`, as the kernel computes them. */
export function castReference(input: Float32Array, scale = 1): { bits: Uint32Array; stats: CastStats } {
  const bits = new Uint32Array(input.length);
  const stats: CastStats = { fp16: emptyCounts(), bf16: emptyCounts(), nonzero: 0 };
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    const v = scale === 1 ? x : Math.fround(x * scale);
    const h = roundToFormat(v, FP16);
    const b = roundToFormat(v, BF16);
    bits[i] = ((b << 16) | h) >>> 0;
    if (x !== 0 && Number.isFinite(x)) {
      stats.nonzero++;
      classify(h, FP16, stats.fp16);
      classify(b, BF16, stats.bf16);
    }
  }
  return { bits, stats };
}

/** Counts only (no output array): what the loss-scale simulation needs per step. */
export function castCounts(input: ArrayLike<number>, scale: number, f: FloatFormat): FormatCounts {
  const c = emptyCounts();
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    if (x === 0 || !Number.isFinite(x)) continue;
    classify(roundToFormat(Math.fround(x * scale), f), f, c);
  }
  return c;
}
