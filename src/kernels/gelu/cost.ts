import type { KernelCost } from '../types';
import type { GeluDims } from './limits';

const F32 = 4;

/**
 * Exactly what shaders/gelu/*.wgsl count: per element, z (and dy for the backward) and, with a
 * bias, its bias value (read per element: counted as loaded, cached or not); one write.
 * FLOPs per element: forward 9 (activation/cost.ts's count) + 1 for the bias; backward 17
 * (u: 5 as in the forward, tanh, ½(1+t): 2, 1 − t²: 2, 3c·a²+1: 3, the products: 4) + 1 for the
 * bias, and the multiply by dy.
 */
export function geluForwardCost({ rows, cols }: GeluDims, bias: boolean): KernelCost {
  const n = rows * cols;
  return { flops: (bias ? 10 : 9) * n, bytesRead: (bias ? 2 : 1) * n * F32, bytesWritten: n * F32 };
}

export function geluBackwardCost({ rows, cols }: GeluDims, bias: boolean): KernelCost {
  const n = rows * cols;
  return { flops: (bias ? 19 : 18) * n, bytesRead: (bias ? 3 : 2) * n * F32, bytesWritten: n * F32 };
}
