import type { MatmulDims, TileShape } from '../../kernels/matmul/types';

export type TiledVariant = 'tiled' | 'register-blocked' | 'register-blocked-vec4';

/**
 * The lab's flat parameters as the schema types them (ParamsOf<typeof meta.schema> has exactly this
 * shape; written out here so clamp.ts and meta.ts do not import each other).
 */
export type TilingValues = {
  M: number;
  N: number;
  K: number;
  variant: TiledVariant;
  tileM: number;
  tileN: number;
  tileK: number;
  block: number;
};

export interface TilingParams {
  dims: MatmulDims;
  variant: TiledVariant;
  shape: TileShape;
}

/**
 * The kernel arguments the lab's (typed) parameters describe. The tiled kernel always runs one
 * output per invocation; the vec4 kernel's block is `block` rows by one vec4 (4 columns), the
 * others' block×block.
 */
export function tilingArgs(p: TilingValues): TilingParams {
  const { variant } = p;
  const block = variant === 'tiled' ? 1 : p.block;
  return {
    dims: { M: p.M, N: p.N, K: p.K },
    variant,
    shape: {
      tileM: p.tileM,
      tileN: p.tileN,
      tileK: p.tileK,
      blockM: block,
      blockN: variant === 'register-blocked-vec4' ? 4 : block,
    },
  };
}

/** "64×64×16, 4×4 per invocation": a shape as the tables and roofline say it. */
export function shapeLabel(variant: string, s: TileShape): string {
  if (variant === 'naive' || variant === 'naive-colmajor') return '16×16, 1 output each';
  const base = `${s.tileM}×${s.tileN}×${s.tileK}`;
  return variant.startsWith('register-blocked') || variant.startsWith('transposed')
    ? `${base}, ${s.blockM}×${s.blockN} per invocation`
    : base;
}
