import type { KernelCost } from '../types';
import type { HeadLayout } from './reference';

/** One float read and one written per element of the head-major tensor; no arithmetic. */
export function headsCost(l: HeadLayout): KernelCost {
  const n = l.batch * l.seq * l.heads * l.headDim;
  return { flops: 0, bytesRead: 4 * n, bytesWritten: 4 * n };
}
