import type { KernelCost } from '../types';
import { bytesPerWeight, type GemvShape, type QuantDims, type QuantVariant } from './types';

export interface GemvCost extends KernelCost {
  /** Bytes each weight costs in storage (weights + scales + zero points). */
  bytesPerWeight: number;
  /**
   * Every byte touched once: W with its scales, x and y. What DRAM must move at the least; x and
   * re-reads of W by further row tiles hit in cache on a GPU, so this is the figure to divide by
   * time for the effective bandwidth.
   */
  compulsoryBytes: number;
}

/**
 * Global bytes loaded and stored by one run, exactly as the instrumented kernels count them.
 * A workgroup owns `rows` channels × `mTile` activation rows (nTiles × mTiles workgroups):
 * - W (and per-group scales/zero points) is loaded once per workgroup for its in-range channels,
 *   so mTiles times in all: N·K·(weight bytes) per row tile;
 * - x is loaded once per workgroup for its in-range rows, so nTiles times: M·K·4·nTiles;
 * - int8's per-channel scale is loaded once per output written: M·N·4; y is stored once: M·N·4.
 * FLOPs are 2·M·N·K; the dequantization arithmetic is not counted as useful work.
 */
export function gemvCost(variant: QuantVariant, dims: QuantDims, group: number | null, shape: GemvShape): GemvCost {
  const { M, N, K } = dims;
  const nTiles = Math.ceil(N / shape.rows);
  const mTiles = Math.ceil(M / shape.mTile);
  const g = group ?? 32;
  const weightLoads =
    variant === 'f32' ? 4 * N * K : variant === 'f16' ? 2 * N * K : variant === 'int8' ? N * K : (N * K) / 2;
  const groupBytes = variant === 'int4' ? 2 * ((N * K) / g) : variant === 'int4-zp' ? 3 * ((N * K) / g) : 0;
  const scaleLoads = variant === 'int8' ? 4 * M * N : 0;
  const bytesRead = (weightLoads + groupBytes) * mTiles + scaleLoads + 4 * M * K * nTiles;
  const bytesWritten = 4 * M * N;
  const bpw = bytesPerWeight(variant, K, group);
  return {
    flops: 2 * M * N * K,
    bytesRead,
    bytesWritten,
    bytesPerWeight: bpw,
    compulsoryBytes: bpw * N * K + 4 * M * K + 4 * M * N,
  };
}
