import type { MatmulDims } from './types';
import { compareOutputs } from '../check';
import { seededUniform, xorshift32 } from '../random';

/** B[k][n] wherever it is stored. */
function bIndex(dims: MatmulDims, k: number, n: number): number {
  return dims.transposeB ? n * dims.K + k : k * dims.N + n;
}

/** C = A·B on the CPU, accumulated in float64 so the GPU's float32 error is what gets measured. */
export function matmulReference(a: Float32Array, b: Float32Array, dims: MatmulDims): Float32Array {
  const { M, N, K } = dims;
  const c = new Float32Array(M * N);
  const row = new Float64Array(N);
  for (let m = 0; m < M; m++) {
    row.fill(0);
    for (let k = 0; k < K; k++) {
      const av = a[m * K + k];
      for (let n = 0; n < N; n++) row[n] += av * b[bIndex(dims, k, n)];
    }
    c.set(row, m * N);
  }
  return c;
}

/** Reference values at chosen output positions only: a large product checked without an O(MNK) CPU pass. */
export function matmulReferenceAt(
  a: Float32Array,
  b: Float32Array,
  dims: MatmulDims,
  positions: readonly number[],
): Float64Array {
  const out = new Float64Array(positions.length);
  positions.forEach((p, i) => {
    const m = Math.floor(p / dims.N);
    const n = p % dims.N;
    let s = 0;
    for (let k = 0; k < dims.K; k++) s += a[m * dims.K + k] * b[bIndex(dims, k, n)];
    out[i] = s;
  });
  return out;
}

/** The kernels' one error metric (src/kernels/check.ts): max |got − want| / max |want|. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  return compareOutputs(got, want).error;
}

/**
 * Positions to spot-check in a large C: every corner of the matrix and of the last (ragged) tile
 * row and column, plus `count` pseudo-random ones from a fixed seed.
 */
export function samplePositions(M: number, N: number, count: number, seed = 12345): number[] {
  const set = new Set<number>();
  for (const m of [0, M - 1]) for (const n of [0, N - 1]) set.add(m * N + n);
  const next = xorshift32(seed);
  while (set.size < Math.min(M * N, count + 4)) set.add(next() % (M * N));
  return [...set].sort((x, y) => x - y);
}

/** Deterministic uniform floats in [-1, 1): the same seed gives the same matrix on every run. */
export function seededMatrix(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  const u = seededUniform(seed);
  for (let i = 0; i < n; i++) out[i] = u() * 2 - 1;
  return out;
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|, src/kernels/check.ts) for a
 * float32 product against float64: K up to 4096 terms summed in a different order by each kernel.
 * At the test sizes the kernels stay below 1e-5; 1e-3 leaves room for K = 4096 without letting a
 * wrong tile (errors of the order of the values themselves) through.
 */
export const MATMUL_TOLERANCE = 1e-3;
