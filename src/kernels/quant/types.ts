/** Weight formats of the decode lab's GEMV/GEMM kernels (y = x·Wᵀ, W N×K, x M×K). */
export const QUANT_VARIANTS = ['f32', 'f16', 'int8', 'int4', 'int4-zp'] as const;
export type QuantVariant = (typeof QUANT_VARIANTS)[number];

/** Short names for chart labels and narrow tables. */
export const SHORT_LABELS: Record<QuantVariant, string> = {
  f32: 'f32',
  f16: 'f16',
  int8: 'int8',
  int4: 'int4',
  'int4-zp': 'int4 + zp',
};

export const VARIANT_LABELS: Record<QuantVariant, string> = {
  f32: 'f32',
  f16: 'f16 (packed)',
  int8: 'int8 per channel',
  int4: 'int4 symmetric (Q4_0-like)',
  'int4-zp': 'int4 + zero points (AWQ/GPTQ)',
};

/** The allowed int4 group sizes along K: multiples of 32 (one 16-byte unit of weights). */
export const GROUP_SIZES = [32, 64, 128, 256] as const;

export interface QuantDims {
  /** Activation rows (tokens in flight): 1 for decode, γ+1 to verify a speculative draft. */
  M: number;
  /** Output channels (rows of W). */
  N: number;
  /** Input channels (columns of W). */
  K: number;
}

/** How the work is split: workgroup size, output channels and activation rows per workgroup. */
export interface GemvShape {
  wg: number;
  rows: number;
  mTile: number;
}

/**
 * The default split: 64 invocations and 4 channels per workgroup, and as many activation rows per
 * workgroup as M needs up to 4 (each further tile of 4 rows reads W again: past a few rows a GEMV
 * turns into a GEMM that would need tiling in workgroup memory to keep W's reuse).
 */
export function defaultShape(M: number): GemvShape {
  const mTile = M <= 1 ? 1 : M <= 2 ? 2 : 4;
  return { wg: 64, rows: 4, mTile };
}

/**
 * Weights in one of the formats, laid out as the kernels read them. `words` is the weight buffer
 * (f32 bits for f32); `scales` holds f32 per channel (int8) or f16 pairs per u32 (int4); `zeros`
 * one byte per group, four per u32 (int4-zp).
 */
export interface PackedWeights {
  variant: QuantVariant;
  N: number;
  K: number;
  /** Group size along K (int4 variants), else null. */
  group: number | null;
  words: Uint32Array;
  scales: Float32Array | Uint32Array | null;
  zeros: Uint32Array | null;
}

/** Bytes of weight storage per weight, including scales and zero points. */
export function bytesPerWeight(variant: QuantVariant, K: number, group: number | null): number {
  switch (variant) {
    case 'f32':
      return 4;
    case 'f16':
      return 2;
    case 'int8':
      return 1 + 4 / K;
    case 'int4':
      return 0.5 + 2 / (group ?? 32);
    case 'int4-zp':
      return 0.5 + 3 / (group ?? 32);
  }
}

/** K must be a multiple of this for the variant (whole 16-byte units; whole groups for int4). */
export function kMultiple(variant: QuantVariant, group: number | null): number {
  switch (variant) {
    case 'f32':
      return 4;
    case 'f16':
      return 8;
    case 'int8':
      return 16;
    default:
      return group ?? 32;
  }
}

/** Why a shape cannot run (a message naming the problem), or null. */
export function shapeProblem(variant: QuantVariant, dims: QuantDims, group: number | null): string | null {
  for (const k of ['M', 'N', 'K'] as const) {
    const v = dims[k];
    if (!Number.isInteger(v) || v < 1) return `${k} must be a whole number of at least 1 (got ${v}).`;
  }
  if (variant === 'int4' || variant === 'int4-zp') {
    if (group === null || !(GROUP_SIZES as readonly number[]).includes(group))
      return `int4 group size must be one of ${GROUP_SIZES.join(', ')} (got ${group}).`;
  }
  const mult = kMultiple(variant, group);
  if (dims.K % mult !== 0) {
    const what =
      variant === 'int4' || variant === 'int4-zp'
        ? `a multiple of the group size ${mult}: the last group would be partial and have no scale of its own`
        : `a multiple of ${mult}: each invocation reads whole 16-byte units of ${mult} ${variant} weights`;
    return `${VARIANT_LABELS[variant]}: K = ${dims.K} is not ${what}. Pad K to ${Math.ceil(dims.K / mult) * mult} with zero weights.`;
  }
  return null;
}
