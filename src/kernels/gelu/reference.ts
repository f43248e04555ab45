/**
 * GELU, tanh approximation, in float64: the same formula as shaders/activation/gelu.wgsl (the
 * forward epilogue the model uses) and GPT-2:
 *   gelu(x) = ½·x·(1 + tanh(u)),  u = √(2/π)·(x + 0.044715·x³)
 *   gelu'(x) = ½·(1 + tanh(u)) + ½·x·(1 − tanh²(u))·√(2/π)·(1 + 3·0.044715·x²)
 * The backward takes the pre-activation as the matmul output z plus an optional bias broadcast
 * over rows (a = z + bias[col]), because the fused bias+GELU forward never stores a itself.
 */
export const GELU_K = Math.sqrt(2 / Math.PI);
export const GELU_C = 0.044715;

export function gelu64(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_K * (x + GELU_C * x * x * x)));
}

export function geluGrad64(x: number): number {
  const t = Math.tanh(GELU_K * (x + GELU_C * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_K * (1 + 3 * GELU_C * x * x);
}

/** y = gelu(z + bias[col]) for z [rows, cols]; bias [cols] or null. */
export function geluForward(
  z: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  rows: number,
  cols: number,
): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) y[i] = gelu64(z[i] + (bias ? bias[i % cols] : 0));
  return y;
}

/** dL/dz = dy · gelu'(z + bias[col]) for z, dy [rows, cols]; bias [cols] or null. (dL/dbias is the column sum: linearBiasGrad.) */
export function geluBackward(
  z: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  dy: ArrayLike<number>,
  rows: number,
  cols: number,
): Float64Array {
  const dz = new Float64Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) dz[i] = dy[i] * geluGrad64(z[i] + (bias ? bias[i % cols] : 0));
  return dz;
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|): one float32 tanh and a
 * handful of operations per element against float64; the GPU's tanh is a few ulps off (see
 * ACTIVATION_TOLERANCE), so 1e-5 of the largest value.
 */
export const GELU_TOLERANCE = 1e-5;
