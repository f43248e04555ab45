import type { KernelCost } from '../types';

/** Copy of `vec4Count` vec4<f32>: every byte read once and written once. */
export function copyCost(vec4Count: number): KernelCost {
  return { flops: 0, bytesRead: vec4Count * 16, bytesWritten: vec4Count * 16 };
}

/** FMA chain: 2 vec4 chains x 4 lanes x 2 FLOPs per FMA per iteration, plus the final vec4 add. */
export function fmaCost(vec4Count: number, iterations: number): KernelCost {
  return { flops: vec4Count * (iterations * 16 + 4), bytesRead: vec4Count * 16, bytesWritten: vec4Count * 16 };
}
