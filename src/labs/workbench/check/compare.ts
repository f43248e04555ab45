/** Bits written into output buffers before the run: a NaN no arithmetic produces, so unwritten outputs are told apart. */
export const UNWRITTEN_BITS = 0x7fc0dead;

export interface Mismatch {
  index: number;
  /** Row/column (or other coordinates) of the index in the output's shape. */
  coords: number[];
  expected: number;
  got: number;
  /** True when the kernel never stored to this element. */
  notWritten: boolean;
}

export interface Comparison {
  mismatches: number;
  worst: Mismatch | null;
  /** Largest |got − expected| over the elements that were written. */
  maxAbsError: number;
}

export function coordsOf(index: number, shape: number[]): number[] {
  const out = new Array<number>(shape.length);
  let rest = index;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = rest % shape[i];
    rest = Math.floor(rest / shape[i]);
  }
  return out;
}

/**
 * Element-wise check with |got − expected| ≤ abs + rel·|expected|. The worst mismatch is the one
 * furthest beyond its own tolerance; NaN, infinities and unwritten elements always mismatch.
 */
export function compareOutputs(
  got: Float32Array,
  expected: Float32Array,
  tol: { abs: number; rel: number },
  shape: number[],
): Comparison {
  const bits = new Uint32Array(got.buffer, got.byteOffset, got.length);
  let mismatches = 0;
  let worst: Mismatch | null = null;
  let worstScore = 0;
  let maxAbsError = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const g = got[i];
    const err = Math.abs(g - e);
    const bound = tol.abs + tol.rel * Math.abs(e);
    if (Number.isFinite(err)) maxAbsError = Math.max(maxAbsError, err);
    if (err <= bound) continue;
    mismatches++;
    const score = Number.isFinite(err) ? err / bound : Infinity;
    if (!worst || score > worstScore) {
      worstScore = score;
      worst = { index: i, coords: coordsOf(i, shape), expected: e, got: g, notWritten: bits[i] === UNWRITTEN_BITS };
    }
  }
  return { mismatches, worst, maxAbsError };
}
