/** The matmul kernels, from naive to fast; each has its own WGSL file. */
export const MATMUL_VARIANTS = [
  'naive',
  'naive-colmajor',
  'tiled',
  'register-blocked',
  'register-blocked-vec4',
  'transposed-a',
  'transposed-a-padded',
] as const;
export type MatmulVariant = (typeof MATMUL_VARIANTS)[number];

export const VARIANT_LABELS: Record<MatmulVariant, string> = {
  naive: 'naive',
  'naive-colmajor': 'naive, column-major walk',
  tiled: 'workgroup-tiled',
  'register-blocked': 'register-blocked',
  'register-blocked-vec4': 'register-blocked vec4',
  'transposed-a': 'A tile transposed',
  'transposed-a-padded': 'A tile transposed + padded',
};

/** C = A·B with A M×K and B K×N (or N×K when `transposeB`), all row-major float32. */
export interface MatmulDims {
  M: number;
  N: number;
  K: number;
  /**
   * B is stored N×K (each row is one column of the product's right operand), as attention's
   * S = Q·Kᵀ needs: pass the K matrix as B with `transposeB: true`, no transpose pass.
   */
  transposeB?: boolean;
  /** A is stored K×M (the product uses Aᵀ: a weight gradient Xᵀ·dY). register-blocked only. */
  transposeA?: boolean;
  /** C += A·B instead of C = A·B (one more read of C per output). register-blocked only. */
  accumulate?: boolean;
}

/**
 * A workgroup's output tile (tileM×tileN), the K step staged in workgroup memory (tileK), and each
 * invocation's block of outputs (blockM×blockN). The naive kernel ignores all of it; the tiled
 * kernel uses blockM = blockN = 1 whatever is passed.
 */
export interface TileShape {
  tileM: number;
  tileN: number;
  tileK: number;
  blockM: number;
  blockN: number;
}

export const DEFAULT_SHAPES: Record<MatmulVariant, TileShape> = {
  naive: { tileM: 16, tileN: 16, tileK: 1, blockM: 1, blockN: 1 },
  'naive-colmajor': { tileM: 16, tileN: 16, tileK: 1, blockM: 1, blockN: 1 },
  tiled: { tileM: 16, tileN: 16, tileK: 16, blockM: 1, blockN: 1 },
  'register-blocked': { tileM: 64, tileN: 64, tileK: 16, blockM: 4, blockN: 4 },
  // 8 rows × one vec4 per invocation, 128 invocations, 16 KiB of workgroup memory (WebGPU's default
  // limit): a common GPU shape, and on SwiftShader the fastest of those tried (see the tiling bench).
  'register-blocked-vec4': { tileM: 64, tileN: 64, tileK: 32, blockM: 8, blockN: 4 },
  'transposed-a': { tileM: 64, tileN: 64, tileK: 16, blockM: 4, blockN: 4 },
  'transposed-a-padded': { tileM: 64, tileN: 64, tileK: 16, blockM: 4, blockN: 4 },
};

/** Kernels that walk K with one output per invocation straight from global memory (no tiles). */
export function isNaive(variant: MatmulVariant): boolean {
  return variant === 'naive' || variant === 'naive-colmajor';
}

/**
 * Words of padding per row of the transposed A tile (tileAT[k][m], row stride TILE_M + PAD): chosen
 * so the row stride is ≡ 32/TILE_K (mod 32), which puts the 32 stores of one subgroup of 32 (TILE_K
 * consecutive k for 32/TILE_K consecutive m) in 32 different banks. 0 for the unpadded rung, and
 * for TILE_K > 32, where one subgroup's stores share a single m (stride ≡ 1 needs TILE_K ≤ 32).
 */
export function transposedPad(variant: MatmulVariant, shape: Pick<TileShape, 'tileM' | 'tileK'>): number {
  if (variant !== 'transposed-a-padded') return 0;
  // An odd stride at least spreads consecutive k over distinct banks.
  if (shape.tileK > 32 || 32 % shape.tileK !== 0) return shape.tileM % 2 === 0 ? 1 : 0;
  const want = 32 / shape.tileK;
  return (((want - (shape.tileM % 32)) % 32) + 32) % 32;
}

/** Kernels whose global accesses are vec4s: their buffers are padded to 16 bytes and their shapes to fours. */
export function isVec4(variant: MatmulVariant): boolean {
  return variant === 'register-blocked-vec4';
}

/** The shape a variant really runs: naive always uses 16×16 workgroups, tiled one output per invocation. */
export function effectiveShape(variant: MatmulVariant, shape: TileShape): TileShape {
  if (isNaive(variant)) return DEFAULT_SHAPES.naive;
  if (variant === 'tiled') return { ...shape, blockM: 1, blockN: 1 };
  return shape;
}
