import type { KernelCost } from '../types';

export const CAST_WORKGROUP = 256;
/** Values each invocation casts (one workgroup covers CAST_WORKGROUP × this many). */
export const CAST_ELEMS_PER_THREAD = 8;
/** Per-workgroup counters the kernel adds into global memory once (see shaders/precision/cast.wgsl). */
export const STAT_SLOTS = 7;

/**
 * Global traffic of one cast: read 4 bytes, write one 4-byte word (fp16 and bf16 packed) per
 * element, plus 7 counter words per workgroup. No floating-point operations: the loss scale and
 * the rounding are integer work on the bits, which a FLOP count does not see.
 */
export function castCost(n: number, perGroup = CAST_WORKGROUP * CAST_ELEMS_PER_THREAD): KernelCost {
  const groups = Math.ceil(n / perGroup);
  return { flops: 0, bytesRead: 4 * n, bytesWritten: 4 * n + 4 * STAT_SLOTS * groups };
}
