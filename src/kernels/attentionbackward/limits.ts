import { checkBinding, checkGrid, checkWhole, checkWorkgroupBytes, type TrainLimits } from '../limits';
import type { AttentionDims } from './reference';

export type { AttentionDims };

/** Head dimensions the backward compiles for: each invocation holds 3–4 rows of d floats in registers. */
export const MAX_BACKWARD_HEAD_DIM = 128;
/** Rows per block (keys in dkv, queries in dq): at most this, fewer where workgroup memory is short. */
export const MAX_BACKWARD_TILE = 32;
/** Invocations per workgroup of the delta pre-pass. */
export const DELTA_WG = 64;

/** Workgroup memory of one block: two B×d tiles (Q and dO, or K and V) and dkv's two B-float vectors. */
export function backwardWorkgroupBytes(d: number, tile: number): number {
  return 4 * (2 * tile * d + 2 * tile);
}

/** The largest power-of-two block of at most MAX_BACKWARD_TILE rows whose tiles fit this device. */
export function backwardTile(
  d: number,
  limits: Pick<TrainLimits, 'maxComputeWorkgroupStorageSize' | 'maxComputeInvocationsPerWorkgroup'>,
): number {
  let b = MAX_BACKWARD_TILE;
  while (
    b > 1 &&
    (backwardWorkgroupBytes(d, b) > limits.maxComputeWorkgroupStorageSize ||
      b > limits.maxComputeInvocationsPerWorkgroup)
  )
    b /= 2;
  return b;
}

export function checkAttentionBackward(s: AttentionDims, tile: number, limits: TrainLimits): void {
  const k = 'attention backward';
  checkWhole(k, 'batch × heads', s.bh);
  checkWhole(k, 'sequence length', s.n);
  checkWhole(k, 'head dimension', s.d);
  checkWhole(k, 'block', tile);
  if (s.d > MAX_BACKWARD_HEAD_DIM)
    throw new RangeError(
      `${k}: head dimension ${s.d} is past ${MAX_BACKWARD_HEAD_DIM}, the most each invocation holds in registers.`,
    );
  checkBinding(k, `Q (${s.bh}×${s.n}×${s.d})`, s.bh * s.n * s.d, limits);
  checkWorkgroupBytes(k, backwardWorkgroupBytes(s.d, tile), `a block of ${tile} rows at d = ${s.d}`, limits);
  checkGrid(k, Math.ceil(s.n / tile), s.bh, limits);
}
