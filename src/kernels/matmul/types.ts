/** The matmul kernels, from naive to fast; each has its own WGSL file. */
export const MATMUL_VARIANTS = ['naive', 'tiled', 'register-blocked', 'register-blocked-vec4'] as const;
export type MatmulVariant = (typeof MATMUL_VARIANTS)[number];

export const VARIANT_LABELS: Record<MatmulVariant, string> = {
  naive: 'naive',
  tiled: 'workgroup-tiled',
  'register-blocked': 'register-blocked',
  'register-blocked-vec4': 'register-blocked vec4',
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
  tiled: { tileM: 16, tileN: 16, tileK: 16, blockM: 1, blockN: 1 },
  'register-blocked': { tileM: 64, tileN: 64, tileK: 16, blockM: 4, blockN: 4 },
  // 8 rows × one vec4 per invocation, 128 invocations, 16 KiB of workgroup memory (WebGPU's default
  // limit): a common GPU shape, and on SwiftShader the fastest of those tried (see the tiling bench).
  'register-blocked-vec4': { tileM: 64, tileN: 64, tileK: 32, blockM: 8, blockN: 4 },
};

/** Kernels whose global accesses are vec4s: their buffers are padded to 16 bytes and their shapes to fours. */
export function isVec4(variant: MatmulVariant): boolean {
  return variant === 'register-blocked-vec4';
}

/** The shape a variant really runs: naive always uses 16×16 workgroups, tiled one output per invocation. */
export function effectiveShape(variant: MatmulVariant, shape: TileShape): TileShape {
  if (variant === 'naive') return DEFAULT_SHAPES.naive;
  if (variant === 'tiled') return { ...shape, blockM: 1, blockN: 1 };
  return shape;
}
