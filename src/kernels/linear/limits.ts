import { checkBinding, checkGrid, checkWhole, type TrainLimits } from '../limits';

/** A linear layer Y = X·W (+ b): X [M, K], W [K, N], Y [M, N], b [N]. */
export interface LinearDims {
  M: number;
  K: number;
  N: number;
}

/** Columns per workgroup of the bias-gradient kernel; elements per workgroup of the bias add. */
export const BIAS_GRAD_WG = 64;
export const ADD_BIAS_WG = 256;

export function checkLinear(d: LinearDims, limits: TrainLimits): void {
  for (const k of ['M', 'K', 'N'] as const) checkWhole('linear', k, d[k]);
  checkBinding('linear', `X (${d.M}×${d.K})`, d.M * d.K, limits);
  checkBinding('linear', `W (${d.K}×${d.N})`, d.K * d.N, limits);
  checkBinding('linear', `Y (${d.M}×${d.N})`, d.M * d.N, limits);
}

/** The column-sum and bias-add kernels' grids. */
export function checkBiasKernels(rows: number, cols: number, limits: TrainLimits): void {
  checkWhole('linear bias', 'rows', rows);
  checkWhole('linear bias', 'cols', cols);
  checkBinding('linear bias', `a ${rows}×${cols} activation`, rows * cols, limits);
  checkGrid('linear bias', Math.ceil(cols / BIAS_GRAD_WG), 1, limits);
}
