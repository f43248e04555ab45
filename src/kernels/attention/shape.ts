/** One attention problem: Q, K, V and O are [bh, n, d] float32, bh = batch × heads. */
export interface AttentionShape {
  bh: number;
  n: number;
  d: number;
  causal: boolean;
}

/** FlashAttention tile: Br query rows per workgroup, Bc keys per block staged in workgroup memory. */
export interface FlashTile {
  br: number;
  bc: number;
}

export const HEAD_DIMS = [32, 64, 128] as const;
/** Output tile side of the standard path's two matmuls (scores and P·V); d must be a multiple. */
export const STD_TILE = 32;
/** Invocations per row in the standard path's softmax (a power of two for the tree reduction). */
export const SOFTMAX_WG = 64;

export function softmaxScale(d: number): number {
  return 1 / Math.sqrt(d);
}
