import type { KernelCost } from '../types';
import type { HeadsDims } from './shape';

/** One load and one store of every element moved; no arithmetic. */
export function headsCost(d: HeadsDims): KernelCost {
  const n = d.batch * d.seq * d.d;
  return { flops: 0, bytesRead: 4 * n, bytesWritten: 4 * n };
}

/** Two loads, one add, one store per element. */
export function addCost(n: number): KernelCost {
  return { flops: n, bytesRead: 8 * n, bytesWritten: 4 * n };
}
