import { addCosts } from '../costsum';
import { matmulCost } from '../matmul/cost';
import { DEFAULT_SHAPES, type MatmulDims, type TileShape } from '../matmul/types';
import type { KernelCost } from '../types';
import type { LinearDims } from './limits';

const F32 = 4;

/** The register-blocked tile every training matmul uses unless told otherwise. */
export const LINEAR_SHAPE: TileShape = DEFAULT_SHAPES['register-blocked'];

/** Rows per chunk of the column-sum kernel's first pass. */
export const COLUMN_CHUNK = 64;

/** Chunks of the first pass: 1 means a single pass straight into the output. */
export function columnChunks(rows: number): number {
  return Math.ceil(rows / COLUMN_CHUNK);
}

/**
 * Column sums (shaders/linear/bias_grad.wgsl) exactly as counted: pass 1 reads every element once
 * and writes one partial per (chunk, column); with more than one chunk, pass 2 reads the partials
 * and writes the sums. One add per element read.
 */
export function columnSumCost(rows: number, cols: number): KernelCost {
  const r = columnChunks(rows);
  const pass1: KernelCost = { flops: rows * cols, bytesRead: rows * cols * F32, bytesWritten: r * cols * F32 };
  return r === 1 ? pass1 : addCosts(pass1, { flops: r * cols, bytesRead: r * cols * F32, bytesWritten: cols * F32 });
}

/** db = column sums of dY [rows, cols]. */
export const biasGradCost = columnSumCost;

/** y += b in place (shaders/linear/add_bias.wgsl): y and b read per element, y written. */
export function addBiasCost(rows: number, cols: number): KernelCost {
  return { flops: rows * cols, bytesRead: 2 * rows * cols * F32, bytesWritten: rows * cols * F32 };
}

/** The two backward products' matmul dims: dX = dY·Wᵀ (W as a transposed B) and dW = Xᵀ·dY. */
export function linearBackwardDims(
  d: LinearDims,
  o: { accumulateDx?: boolean; accumulateDw?: boolean } = {},
): { dx: MatmulDims; dw: MatmulDims } {
  return {
    dx: { M: d.M, N: d.K, K: d.N, transposeB: true, accumulate: Boolean(o.accumulateDx) },
    dw: { M: d.K, N: d.N, K: d.M, transposeA: true, accumulate: Boolean(o.accumulateDw) },
  };
}

/** Everything createLinearBackward dispatches, exactly as counted. */
export function linearBackwardCost(
  d: LinearDims,
  o: { bias?: boolean; accumulateDx?: boolean; accumulateDw?: boolean; shape?: TileShape } = {},
): KernelCost {
  const dims = linearBackwardDims(d, o);
  const shape = o.shape ?? LINEAR_SHAPE;
  const parts = [matmulCost('register-blocked', dims.dx, shape), matmulCost('register-blocked', dims.dw, shape)];
  if (o.bias) parts.push(biasGradCost(d.M, d.N));
  return addCosts(...parts);
}
