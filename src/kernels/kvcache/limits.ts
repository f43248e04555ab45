import type { KvLayout } from './cost';

/** Invocations per (sequence, head) workgroup. */
export const WORKGROUP_SIZE = 64;

/**
 * Workgroup memory one (sequence, head) needs: its scores, the query, the reduction scratch and the
 * shared length; paged also stages the sequence's block table (one entry per block of maxCtx).
 * Pure (no GPU, no WGSL): a lab's meta may import it.
 */
export function workgroupBytes(
  maxCtx: number,
  headDim: number,
  layout: KvLayout = 'contiguous',
  blockSize = 1,
): number {
  return 4 * (maxCtx + headDim + WORKGROUP_SIZE + 1 + (layout === 'paged' ? Math.ceil(maxCtx / blockSize) : 0));
}

/** Scores are sized to the longest sequence, rounded up to 256 so similar batches reuse a pipeline. */
export function maxContext(seqLens: readonly number[]): number {
  return Math.max(256, Math.ceil(Math.max(...seqLens) / 256) * 256);
}
