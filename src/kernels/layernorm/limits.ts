import { checkBinding, checkWhole, checkWorkgroupBytes, type TrainLimits } from '../limits';

/** x and y are [rows, cols] row-major; gamma, beta [cols]; mean, rstd [rows]. */
export interface LayerNormDims {
  rows: number;
  cols: number;
}

/** Invocations per workgroup of the three LayerNorm kernels (a power of two: tree reductions). */
export const LAYERNORM_WG = 64;

/** Workgroup memory: the forward caches one row, the backward g and x̂ of one row; plus the reduction scratch. */
export function layerNormWorkgroupBytes(cols: number, pass: 'forward' | 'backward'): number {
  return 4 * ((pass === 'forward' ? 1 : 2) * cols + LAYERNORM_WG + (pass === 'forward' ? 0 : 2));
}

export function checkLayerNorm(d: LayerNormDims, limits: TrainLimits, pass: 'forward' | 'backward'): void {
  const k = `layernorm ${pass}`;
  checkWhole(k, 'rows', d.rows);
  checkWhole(k, 'cols', d.cols);
  checkBinding(k, `a ${d.rows}×${d.cols} activation`, d.rows * d.cols, limits);
  checkWorkgroupBytes(k, layerNormWorkgroupBytes(d.cols, pass), `a row of ${d.cols} columns`, limits);
}
