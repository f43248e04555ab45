import { addCosts } from '../costsum';
import type { KernelCost } from '../types';
import type { AttentionDims } from './limits';

const F32 = 4;

/** Query rows (or keys) of block b that exist: B, or fewer in the ragged last block. */
function rowsIn(n: number, tile: number, b: number): number {
  return Math.max(0, Math.min(tile, n - b * tile));
}

/** Visible (query, key) pairs: n² or, causal, n(n+1)/2. */
export function backwardPairs(s: AttentionDims): number {
  return s.bh * (s.causal ? (s.n * (s.n + 1)) / 2 : s.n * s.n);
}

/**
 * The three dispatches exactly as counted (shaders/attentionbackward/*.wgsl), per head:
 * - delta: each query row reads its dO and O rows (2d floats), writes one float.
 * - dkv: each key block reads its keys' k and v once (2d each) and, for every query block at or
 *   after it (all of them without the mask), those queries' q and dO rows and their lse and delta
 *   (2d + 2); writes dK and dV rows.
 * - dq: each query block reads its q, dO, lse, delta once and, per key block up to the diagonal
 *   (all without the mask), those keys' k and v rows (2d); writes dQ rows.
 * FLOPs: 2d for delta per row; per visible pair 8d in dkv (q·k, dO·v, dV, dK) and 6d in dq
 * (q·k, dO·v, dQ); the few scalar operations per pair are left out.
 */
export function attentionBackwardCost(
  s: AttentionDims,
  tile: number,
): { delta: KernelCost; dkv: KernelCost; dq: KernelCost; total: KernelCost } {
  const { bh, n, d, causal } = s;
  const blocks = Math.ceil(n / tile);
  let dkvRead = 0;
  let dqRead = 0;
  for (let b = 0; b < blocks; b++) {
    const own = rowsIn(n, tile, b);
    dkvRead += 2 * d * own;
    for (let qb = causal ? b : 0; qb < blocks; qb++) dkvRead += (2 * d + 2) * rowsIn(n, tile, qb);
    dqRead += (2 * d + 2) * own;
    const kbEnd = causal ? Math.floor((Math.min(n, (b + 1) * tile) - 1) / tile) + 1 : blocks;
    for (let kb = 0; kb < kbEnd; kb++) dqRead += 2 * d * rowsIn(n, tile, kb);
  }
  const pairs = backwardPairs(s);
  const delta: KernelCost = { flops: 2 * d * bh * n, bytesRead: 2 * d * bh * n * F32, bytesWritten: bh * n * F32 };
  const dkv: KernelCost = { flops: 8 * d * pairs, bytesRead: bh * dkvRead * F32, bytesWritten: 2 * bh * n * d * F32 };
  const dq: KernelCost = { flops: 6 * d * pairs, bytesRead: bh * dqRead * F32, bytesWritten: bh * n * d * F32 };
  return { delta, dkv, dq, total: addCosts(delta, dkv, dq) };
}

/**
 * The plain forward (shaders/attentionbackward/forward.wgsl), exactly as counted: each query row
 * reads q once; each query block reads, per key block up to the diagonal (all without the mask),
 * those keys' k and v rows; O and lse written per row. FLOPs: 4d per visible pair (q·k, and the
 * rescaled P·V update counted as one multiply-add per value), as flashCost counts them.
 */
export function attentionForwardCost(s: AttentionDims, tile: number): KernelCost {
  const { bh, n, d, causal } = s;
  const blocks = Math.ceil(n / tile);
  let read = n * d;
  for (let b = 0; b < blocks; b++) {
    const kbEnd = causal ? Math.floor((Math.min(n, (b + 1) * tile) - 1) / tile) + 1 : blocks;
    for (let kb = 0; kb < kbEnd; kb++) read += 2 * d * rowsIn(n, tile, kb);
  }
  return { flops: 4 * d * backwardPairs(s), bytesRead: bh * read * F32, bytesWritten: bh * n * (d + 1) * F32 };
}
