/**
 * Matrix products of a linear layer, forward and backward, in float64: the reference of the
 * matmul variants the backward uses and a building block of the CPU model. Row-major throughout;
 * a layer's weight is W [K, N] (in × out), so for X [M, K]:
 *
 *   forward:   Y = X·W (+ b)          [M, N]
 *   backward:  dX = dY·Wᵀ             [M, K]
 *              dW = Xᵀ·dY             [K, N]
 *              db = Σ_rows dY         [N]   (column sums)
 *
 * The tied output head (logits = H·wteᵀ, wte [V, C]) is `matmul64` with transposeB.
 */
export interface MatmulDims64 {
  /** Rows of the product. */
  M: number;
  /** Columns of the product. */
  N: number;
  /** Inner dimension. */
  K: number;
  /** A is stored K×M (the product uses Aᵀ). */
  transposeA?: boolean;
  /** B is stored N×K (the product uses Bᵀ). */
  transposeB?: boolean;
}

/** C = op(A)·op(B) (+ C0 when `accumulate` is given: C = C0 + op(A)·op(B)). */
export function matmul64(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  dims: MatmulDims64,
  accumulate?: ArrayLike<number>,
): Float64Array {
  const { M, N, K } = dims;
  const c = new Float64Array(M * N);
  if (accumulate) for (let i = 0; i < M * N; i++) c[i] = accumulate[i];
  for (let m = 0; m < M; m++)
    for (let k = 0; k < K; k++) {
      const av = dims.transposeA ? a[k * M + m] : a[m * K + k];
      if (av === 0) continue;
      const o = m * N;
      if (dims.transposeB) for (let n = 0; n < N; n++) c[o + n] += av * b[n * K + k];
      else for (let n = 0; n < N; n++) c[o + n] += av * b[k * N + n];
    }
  return c;
}

/** Y = X·W + b for X [M, K], W [K, N], b [N] or null. */
export function linearForward(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  M: number,
  K: number,
  N: number,
): Float64Array {
  const y = matmul64(x, w, { M, N, K });
  if (bias) for (let i = 0; i < M * N; i++) y[i] += bias[i % N];
  return y;
}

/** db = column sums of dY [M, N]. */
export function linearBiasGrad(dy: ArrayLike<number>, M: number, N: number): Float64Array {
  const db = new Float64Array(N);
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) db[n] += dy[m * N + n];
  return db;
}

export interface LinearBackward {
  /** [M, K] */
  dx: Float64Array;
  /** [K, N] */
  dw: Float64Array;
  /** [N] */
  db: Float64Array;
}

/** Gradients of Y = X·W + b given dY [M, N], X [M, K], W [K, N]. */
export function linearBackward(
  dy: ArrayLike<number>,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  M: number,
  K: number,
  N: number,
): LinearBackward {
  return {
    dx: matmul64(dy, w, { M, N: K, K: N, transposeB: true }),
    dw: matmul64(x, dy, { M: K, N, K: M, transposeA: true }),
    db: linearBiasGrad(dy, M, N),
  };
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|) for the float32 products and
 * column sums against float64: sums of at most a few thousand terms (MATMUL_TOLERANCE's reasoning,
 * src/kernels/matmul/reference.ts); the test sizes stay near 1e-6.
 */
export const LINEAR_TOLERANCE = 1e-4;
