import { addCosts } from '../costsum';
import type { KernelCost } from '../types';
import { ADAMW_WG, normGroups, type AdamWSegment } from './limits';

const F32 = 4;

/**
 * One optimizer step exactly as counted: the norm's stage 1 reads every gradient and writes one
 * partial per workgroup; stage 2 reads the partials and writes [norm, clip, skipped]; each
 * segment's update reads p, g, m, v and writes p, m, v per element, plus the clip factor and skip
 * flag once per workgroup. (A skipped step, norm not finite, moves only the norm's bytes and
 * those flags.)
 * FLOPs: 2 per gradient for the norm; 16 per updated element (clip 1, m 3, v 4, decay 3, step 5:
 * the divide and square root counted as one each).
 */
export function adamwCost(
  n: number,
  segments: readonly AdamWSegment[],
): { norm: KernelCost; update: KernelCost; total: KernelCost } {
  const groups = normGroups(n);
  const norm = addCosts(
    { flops: 2 * n, bytesRead: n * F32, bytesWritten: groups * F32 },
    { flops: groups, bytesRead: groups * F32, bytesWritten: 3 * F32 },
  );
  const update = addCosts(
    ...segments.map((s) => ({
      flops: 16 * s.length,
      bytesRead: (4 * s.length + 2 * Math.ceil(s.length / ADAMW_WG)) * F32,
      bytesWritten: 3 * s.length * F32,
    })),
  );
  return { norm, update, total: addCosts(norm, update) };
}
