import type { KernelCost } from '../types';

export type KvLayout = 'paged' | 'contiguous';

/**
 * One decode step of attention, exactly as shaders/kvcache/*.wgsl load and store (their traffic
 * counters equal this; test/kernels/kvcache.test.ts). Each (sequence, head) workgroup reads the
 * sequence's length and its query once and every cached key and value once, and writes its output
 * row; paged also reads the sequence's block table once (one entry per block, staged in workgroup
 * memory), so per head.
 * FLOPs per cached token and head: 2·d for q·k, 2·d for the weighted value sum, 3 for the softmax.
 */
export function decodeAttentionCost(
  seqLens: number[],
  numHeads: number,
  headDim: number,
  blockSize: number,
  layout: KvLayout,
): KernelCost {
  const S = seqLens.length;
  const tokens = seqLens.reduce((a, l) => a + l, 0);
  const blocks = seqLens.reduce((a, l) => a + Math.ceil(l / blockSize), 0);
  const tableBytes = layout === 'paged' ? blocks * 4 * numHeads : 0;
  return {
    flops: tokens * numHeads * (4 * headDim + 3),
    bytesRead: S * numHeads * headDim * 4 + 2 * tokens * numHeads * headDim * 4 + S * numHeads * 4 + tableBytes,
    bytesWritten: S * numHeads * headDim * 4,
  };
}
