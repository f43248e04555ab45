import { checkBinding, checkWhole, type TrainLimits } from '../limits';

/** z, y, dy, dz [rows, cols]; bias [cols]. */
export interface GeluDims {
  rows: number;
  cols: number;
}

export const GELU_WG = 256;

export function checkGelu(d: GeluDims, limits: TrainLimits): void {
  checkWhole('gelu', 'rows', d.rows);
  checkWhole('gelu', 'cols', d.cols);
  checkBinding('gelu', `a ${d.rows}×${d.cols} activation`, d.rows * d.cols, limits);
}
