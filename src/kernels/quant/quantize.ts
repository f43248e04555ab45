/**
 * CPU quantizers that produce the kernels' weight layouts, and the dequantized weights the
 * kernels must reproduce exactly. Round-to-nearest (RTN): every group gets the scale that maps its
 * largest magnitude (or its range, with a zero point) onto the integer grid.
 */
import { fromHalfBits, toHalfBits } from './half';
import { shapeProblem, type PackedWeights, type QuantVariant } from './types';

function check(variant: QuantVariant, w: ArrayLike<number>, N: number, K: number, group: number | null): void {
  const problem = shapeProblem(variant, { M: 1, N, K }, group);
  if (problem) throw new RangeError(problem);
  if (w.length !== N * K) throw new RangeError(`weights have ${w.length} values, expected N·K = ${N * K}.`);
}

/** One int4 group, quantized: integer levels 0..15, the f16 scale (as stored) and the zero point. */
export interface QuantGroup {
  q: Uint8Array;
  scale: number;
  zero: number;
}

/**
 * Quantizes `len` values starting at `start`. Symmetric: scale = max|w|/7, q = round(w/s) + 8
 * clamped to 0..15. Asymmetric: the range widened to include 0, scale = (max − min)/15,
 * zero = round(−min/s), q = round(w/s) + zero.
 * The scale is rounded to f16 first and q computed with that scale, so the stored pair is exact.
 */
export function quantizeGroup(values: ArrayLike<number>, start: number, len: number, asym: boolean): QuantGroup {
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = 0; i < len; i++) {
    const v = values[start + i];
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const q = new Uint8Array(len);
  let scale: number;
  let zero: number;
  if (asym) {
    // The range must hold 0: the zero point is an integer level 0..15, so a group whose values
    // are all one sign (min > 0 or max < 0) would otherwise need a zero point off the grid; it
    // clamps, every level shifts by the clamped amount and the error grows to ~−min/scale scales.
    // Widening to [min(mn, 0), max(mx, 0)] keeps zero on the grid and the error within scale/2.
    mn = Math.min(mn, 0);
    mx = Math.max(mx, 0);
    scale = fromHalfBits(toHalfBits((mx - mn) / 15));
    zero = scale > 0 ? Math.min(15, Math.max(0, Math.round(-mn / scale))) : 0;
  } else {
    scale = fromHalfBits(toHalfBits(Math.max(Math.abs(mn), Math.abs(mx)) / 7));
    zero = 8;
  }
  for (let i = 0; i < len; i++)
    q[i] = scale > 0 ? Math.min(15, Math.max(0, Math.round(values[start + i] / scale) + zero)) : zero;
  return { q, scale, zero };
}

/** W as stored by the f32 baseline: the same bits. */
export function packF32(w: ArrayLike<number>, N: number, K: number): PackedWeights {
  check('f32', w, N, K, null);
  return {
    variant: 'f32',
    N,
    K,
    group: null,
    words: new Uint32Array(Float32Array.from(w).buffer),
    scales: null,
    zeros: null,
  };
}

/** W rounded to f16, two per u32 (element 2i low). */
export function packF16(w: ArrayLike<number>, N: number, K: number): PackedWeights {
  check('f16', w, N, K, null);
  const words = new Uint32Array((N * K) / 2);
  for (let i = 0; i < words.length; i++) words[i] = (toHalfBits(w[2 * i]) | (toHalfBits(w[2 * i + 1]) << 16)) >>> 0;
  return { variant: 'f16', N, K, group: null, words, scales: null, zeros: null };
}

/** int8 symmetric per output channel: s = max|row|/127 (f32), q = round(w/s) in −127..127. */
export function quantizeInt8(w: ArrayLike<number>, N: number, K: number): PackedWeights {
  check('int8', w, N, K, null);
  const words = new Uint32Array((N * K) / 4);
  const scales = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    let amax = 0;
    for (let k = 0; k < K; k++) amax = Math.max(amax, Math.abs(w[n * K + k]));
    const s = Math.fround(amax / 127);
    scales[n] = s;
    for (let k = 0; k < K; k++) {
      const q = s > 0 ? Math.max(-127, Math.min(127, Math.round(w[n * K + k] / s))) : 0;
      const i = n * K + k;
      words[i >> 2] |= (q & 0xff) << ((i & 3) * 8);
    }
  }
  return { variant: 'int8', N, K, group: null, words, scales, zeros: null };
}

/** int4 group-wise along K, symmetric ('int4') or with zero points ('int4-zp'), by RTN. */
export function quantizeInt4(w: ArrayLike<number>, N: number, K: number, group: number, asym: boolean): PackedWeights {
  const variant = asym ? 'int4-zp' : 'int4';
  check(variant, w, N, K, group);
  const groups = (N * K) / group;
  const words = new Uint32Array((N * K) / 8);
  const scales = new Uint32Array(Math.ceil(groups / 2));
  const zeros = asym ? new Uint32Array(Math.ceil(groups / 4)) : null;
  for (let gi = 0; gi < groups; gi++) {
    const g = quantizeGroup(w, gi * group, group, asym);
    for (let i = 0; i < group; i++) {
      const e = gi * group + i;
      words[e >> 3] |= g.q[i] << ((e & 7) * 4);
    }
    scales[gi >> 1] |= toHalfBits(g.scale) << ((gi & 1) * 16);
    if (zeros) zeros[gi >> 2] |= g.zero << ((gi & 3) * 8);
  }
  return { variant, N, K, group, words, scales, zeros };
}

/** Quantizes W (N×K, row-major) into `variant`'s layout by round-to-nearest. */
export function quantize(
  variant: QuantVariant,
  w: ArrayLike<number>,
  N: number,
  K: number,
  group: number,
): PackedWeights {
  switch (variant) {
    case 'f32':
      return packF32(w, N, K);
    case 'f16':
      return packF16(w, N, K);
    case 'int8':
      return quantizeInt8(w, N, K);
    case 'int4':
      return quantizeInt4(w, N, K, group, false);
    case 'int4-zp':
      return quantizeInt4(w, N, K, group, true);
  }
}

/**
 * The weights the kernel actually multiplies by, in float64: what its output must match exactly.
 * `rows` picks output channels (the result is rows.length×K), so large layers need not be
 * expanded whole (4096×14336 would take 470 MB as float64).
 */
export function dequantize(p: PackedWeights, rows?: number[]): Float64Array {
  const { N, K } = p;
  const list = rows ?? Array.from({ length: N }, (_, n) => n);
  const out = new Float64Array(list.length * K);
  const f = p.variant === 'f32' ? new Float32Array(p.words.buffer, p.words.byteOffset, N * K) : null;
  for (let r = 0; r < list.length; r++) {
    const n = list[r];
    for (let k = 0; k < K; k++) out[r * K + k] = weightAt(p, f, n * K + k, n);
  }
  return out;
}

function weightAt(p: PackedWeights, f: Float32Array | null, i: number, n: number): number {
  switch (p.variant) {
    case 'f32':
      return (f as Float32Array)[i];
    case 'f16':
      return fromHalfBits((p.words[i >> 1] >>> ((i & 1) * 16)) & 0xffff);
    case 'int8':
      return (((p.words[i >> 2] >>> ((i & 3) * 8)) << 24) >> 24) * (p.scales as Float32Array)[n];
    default: {
      const gi = Math.floor(i / (p.group as number));
      const s = p.scales as Uint32Array;
      const scale = fromHalfBits((s[gi >> 1] >>> ((gi & 1) * 16)) & 0xffff);
      const zero = p.zeros ? (p.zeros[gi >> 2] >>> ((gi & 3) * 8)) & 0xff : 8;
      return (((p.words[i >> 3] >>> ((i & 7) * 4)) & 0xf) - zero) * scale;
    }
  }
}

/** Bytes of the packed weights (weights + scales + zero points) as uploaded. */
export function packedBytes(p: PackedWeights): number {
  const scaleBytes = p.variant === 'int8' ? p.N * 4 : p.scales ? ((p.N * p.K) / (p.group as number)) * 2 : 0;
  const zeroBytes = p.zeros ? (p.N * p.K) / (p.group as number) : 0;
  return p.words.byteLength + scaleBytes + zeroBytes;
}
