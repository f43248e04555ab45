import { addCosts } from '../costsum';
import type { KernelCost } from '../types';
import type { CrossEntropyDims } from './limits';

const F32 = 4;

/**
 * Forward (shaders/crossentropy/forward.wgsl then mean.wgsl), exactly as counted: every logit
 * read once, plus per row the target and one logit (the target's, or logit 0 for an ignored row,
 * so the traffic is the same whatever the targets); loss and lse written per row; the mean reads
 * each loss and target and writes the two stats. FLOPs: 4 per logit (max, sub, exp, fma of the
 * online sum) and 2 per row, exp and log counted as one each.
 */
export function crossEntropyForwardCost({ rows, vocab }: CrossEntropyDims): {
  rows: KernelCost;
  mean: KernelCost;
  total: KernelCost;
} {
  const r: KernelCost = {
    flops: 4 * rows * vocab + 2 * rows,
    bytesRead: (rows * vocab + 2 * rows) * F32,
    bytesWritten: 2 * rows * F32,
  };
  const mean: KernelCost = { flops: rows, bytesRead: 2 * rows * F32, bytesWritten: 2 * F32 };
  return { rows: r, mean, total: addCosts(r, mean) };
}

/** Backward (backward.wgsl): per row target, lse and the scored count; every logit read and every gradient written once. FLOPs: sub, exp, sub, mul per logit. */
export function crossEntropyBackwardCost({ rows, vocab }: CrossEntropyDims): KernelCost {
  return { flops: 4 * rows * vocab, bytesRead: (rows * vocab + 3 * rows) * F32, bytesWritten: rows * vocab * F32 };
}
