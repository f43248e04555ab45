import { addCosts } from '../costsum';
import type { KernelCost } from '../types';
import { LAYERNORM_WG, type LayerNormDims } from './limits';

const F32 = 4;

/**
 * Exactly what shaders/layernorm/forward.wgsl loads and stores: each row reads x, gamma and beta
 * once per column and writes y, mean and rstd. FLOPs: 8 per element (mean: add; variance: sub,
 * mul, add; output: sub, mul, mul, add); the per-row divide and inverse square root are left out.
 */
export function layerNormForwardCost({ rows, cols }: LayerNormDims): KernelCost {
  return { flops: 8 * rows * cols, bytesRead: 3 * rows * cols * F32, bytesWritten: rows * (cols + 2) * F32 };
}

/**
 * Both backward kernels, as they load and store. dx (backward_dx.wgsl): dy, x, gamma per element,
 * mean and rstd per row; dx written. Parameters (backward_params.wgsl): dy and x per element, mean
 * and rstd once per row per workgroup of LAYERNORM_WG columns; a partial dgamma and dbeta per
 * (row chunk, column), summed by the column-sum kernel when there is more than one chunk.
 * FLOPs per element: dx 10 (x̂: sub, mul; g: mul; Σg: add; Σg·x̂: mul, add; dx: sub, mul, sub,
 * mul); parameters 5 (dγ: sub, mul, mul, add; dβ: add). Per-row divides are left out.
 */
export function layerNormBackwardCost(
  { rows, cols }: LayerNormDims,
  accumulate = false,
): { dx: KernelCost; params: KernelCost; total: KernelCost } {
  // Accumulating into dx reads it once more (and adds once) per element.
  const acc = accumulate ? rows * cols : 0;
  const dx: KernelCost = {
    flops: 10 * rows * cols + acc,
    bytesRead: (3 * rows * cols + 2 * rows + acc) * F32,
    bytesWritten: rows * cols * F32,
  };
  const groups = Math.ceil(cols / LAYERNORM_WG);
  // Pass 1 writes one partial of each per (chunk of LAYERNORM_WG rows, column); with more than one
  // chunk the column-sum kernel adds them up (its second pass, for dgamma and for dbeta).
  const chunks = Math.ceil(rows / LAYERNORM_WG);
  const pass1: KernelCost = {
    flops: 5 * rows * cols,
    bytesRead: (2 * rows * cols + 2 * rows * groups) * F32,
    bytesWritten: 2 * chunks * cols * F32,
  };
  const partials: KernelCost = { flops: chunks * cols, bytesRead: chunks * cols * F32, bytesWritten: cols * F32 };
  const params = chunks === 1 ? pass1 : addCosts(pass1, partials, partials);
  return { dx, params, total: addCosts(dx, params) };
}
