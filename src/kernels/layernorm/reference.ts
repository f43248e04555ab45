/**
 * LayerNorm in float64, the reference the WGSL kernels are checked against and the CPU model is
 * built from. Row-major, `rows` rows of `cols` features; normalised over each row:
 *
 *   mean = Σx / C,  rstd = 1 / sqrt(Σ(x − mean)² / C + eps),  y = (x − mean)·rstd·γ + β
 *
 * The variance is the biased (population) one, as in PyTorch's and llm.c's LayerNorm.
 */
export const LAYERNORM_EPS = 1e-5;

export interface LayerNormForward {
  /** [rows, cols] */
  y: Float64Array;
  /** [rows]: kept for the backward pass. */
  mean: Float64Array;
  /** [rows]: 1 / standard deviation, kept for the backward pass. */
  rstd: Float64Array;
}

/** y = LayerNorm(x)·γ + β for x [rows, cols], γ and β [cols]. */
export function layerNormForward(
  x: ArrayLike<number>,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  rows: number,
  cols: number,
  eps = LAYERNORM_EPS,
): LayerNormForward {
  const y = new Float64Array(rows * cols);
  const mean = new Float64Array(rows);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[o + c];
    const m = s / cols;
    let v = 0;
    for (let c = 0; c < cols; c++) v += (x[o + c] - m) ** 2;
    const rs = 1 / Math.sqrt(v / cols + eps);
    for (let c = 0; c < cols; c++) y[o + c] = (x[o + c] - m) * rs * gamma[c] + beta[c];
    mean[r] = m;
    rstd[r] = rs;
  }
  return { y, mean, rstd };
}

export interface LayerNormBackward {
  /** [rows, cols] */
  dx: Float64Array;
  /** [cols]: summed over rows. */
  dgamma: Float64Array;
  /** [cols]: summed over rows. */
  dbeta: Float64Array;
}

/**
 * Gradients of LayerNorm given dL/dy, the input x and the forward's mean and rstd:
 *   x̂ = (x − mean)·rstd,  g = dy·γ,
 *   dx = rstd·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
 */
export function layerNormBackward(
  dy: ArrayLike<number>,
  x: ArrayLike<number>,
  gamma: ArrayLike<number>,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  rows: number,
  cols: number,
): LayerNormBackward {
  const dx = new Float64Array(rows * cols);
  const dgamma = new Float64Array(cols);
  const dbeta = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let gMean = 0;
    let gxMean = 0;
    for (let c = 0; c < cols; c++) {
      const xh = (x[o + c] - mean[r]) * rstd[r];
      const g = dy[o + c] * gamma[c];
      gMean += g;
      gxMean += g * xh;
      dgamma[c] += dy[o + c] * xh;
      dbeta[c] += dy[o + c];
    }
    gMean /= cols;
    gxMean /= cols;
    for (let c = 0; c < cols; c++) {
      const xh = (x[o + c] - mean[r]) * rstd[r];
      dx[o + c] = rstd[r] * (dy[o + c] * gamma[c] - gMean - xh * gxMean);
    }
  }
  return { dx, dgamma, dbeta };
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|, src/kernels/check.ts) for the
 * float32 kernels: each output is a few float32 operations on sums of at most a few thousand
 * terms (a row, or a column over rows for dγ and dβ), against float64: relative errors of order
 * 1e-6; 1e-4 leaves room for inverseSqrt's ulps and long column sums without passing a wrong
 * formula (errors of order 1).
 */
export const LAYERNORM_TOLERANCE = 1e-4;
