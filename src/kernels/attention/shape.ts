/** One attention problem: Q, K, V and O are [bh, n, d] float32, bh = batch × heads. */
export interface AttentionShape {
  bh: number;
  n: number;
  d: number;
  causal: boolean;
}

/**
 * FlashAttention tile: Br query rows per workgroup, Bc keys per block staged in workgroup memory
 * (a multiple of FLASH_KEY_STEP), and the query rows each invocation owns (register blocking:
 * 2 halves workgroup-memory reads per multiply-add for twice the registers; default 2).
 */
export interface FlashTile {
  br: number;
  bc: number;
  rows?: FlashRows;
}

export type FlashRows = 1 | 2;
export const FLASH_ROWS: readonly FlashRows[] = [1, 2];

/** Rows per invocation of a tile (2 unless the tile says 1). */
export function tileRows(tile: FlashTile): FlashRows {
  return tile.rows ?? 2;
}

/** Keys the tiled kernel scores per online-softmax step, one vec4 per row (flash.wgsl's KS). */
export const FLASH_KEY_STEP = 4;

export const HEAD_DIMS = [32, 64, 128] as const;
/** Output tile side of the standard path's two matmuls (scores and P·V); d must be a multiple. */
export const STD_TILE = 32;
/** Invocations per row in the standard path's softmax (a power of two for the tree reduction). */
export const SOFTMAX_WG = 64;

export function softmaxScale(d: number): number {
  return 1 / Math.sqrt(d);
}
