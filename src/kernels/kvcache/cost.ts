import type { KernelCost } from '../types';

export type KvLayout = 'paged' | 'contiguous';

/**
 * One decode step of attention. Each (sequence, head) reads its query once and every cached key and
 * value once; paged also reads its block table (once per head, as each head's workgroup does).
 * FLOPs per cached token and head: 2·d for q·k, 2·d for the weighted value sum, 3 for the softmax.
 */
export function decodeAttentionCost(seqLens: number[], numHeads: number, headDim: number, blockSize: number, layout: KvLayout): KernelCost {
  const S = seqLens.length;
  const tokens = seqLens.reduce((a, l) => a + l, 0);
  const blocks = seqLens.reduce((a, l) => a + Math.ceil(l / blockSize), 0);
  const tableBytes = layout === 'paged' ? blocks * 4 * numHeads : 0;
  return {
    flops: tokens * numHeads * (4 * headDim + 3),
    bytesRead: S * numHeads * headDim * 4 + 2 * tokens * numHeads * headDim * 4 + S * 4 + tableBytes,
    bytesWritten: S * numHeads * headDim * 4,
  };
}
