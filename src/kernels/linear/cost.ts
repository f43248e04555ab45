import { addCosts } from '../costsum';
import { matmulCost } from '../matmul/cost';
import { DEFAULT_SHAPES, type MatmulDims, type TileShape } from '../matmul/types';
import type { KernelCost } from '../types';
import type { LinearDims } from './limits';

const F32 = 4;

/** The register-blocked tile every training matmul uses unless told otherwise. */
export const LINEAR_SHAPE: TileShape = DEFAULT_SHAPES['register-blocked'];

/** db = column sums (shaders/linear/bias_grad.wgsl): every dY element read once, db written once; one add each. */
export function biasGradCost(rows: number, cols: number): KernelCost {
  return { flops: rows * cols, bytesRead: rows * cols * F32, bytesWritten: cols * F32 };
}

/** y += b in place (shaders/linear/add_bias.wgsl): y and b read per element, y written. */
export function addBiasCost(rows: number, cols: number): KernelCost {
  return { flops: rows * cols, bytesRead: 2 * rows * cols * F32, bytesWritten: rows * cols * F32 };
}

/** The two backward products' matmul dims: dX = dY·Wᵀ (W as a transposed B) and dW = Xᵀ·dY. */
export function linearBackwardDims(d: LinearDims, o: { accumulateDx?: boolean; accumulateDw?: boolean } = {}): { dx: MatmulDims; dw: MatmulDims } {
  return {
    dx: { M: d.M, N: d.K, K: d.N, transposeB: true, accumulate: Boolean(o.accumulateDx) },
    dw: { M: d.K, N: d.N, K: d.M, transposeA: true, accumulate: Boolean(o.accumulateDw) },
  };
}

/** Everything createLinearBackward dispatches, exactly as counted. */
export function linearBackwardCost(d: LinearDims, o: { bias?: boolean; accumulateDx?: boolean; accumulateDw?: boolean; shape?: TileShape } = {}): KernelCost {
  const dims = linearBackwardDims(d, o);
  const shape = o.shape ?? LINEAR_SHAPE;
  const parts = [matmulCost('register-blocked', dims.dx, shape), matmulCost('register-blocked', dims.dw, shape)];
  if (o.bias) parts.push(biasGradCost(d.M, d.N));
  return addCosts(...parts);
}
