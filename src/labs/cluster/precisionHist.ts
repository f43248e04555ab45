/** The gradient-magnitude histogram of the precision panel (pure: the panel and its chart share it). */

/** The histogram's range in log10 units and its bin count (RangeChart draws it). */
export const LO = -12;
export const HI = 10;
export const BINS = 88;

export interface Hist {
  counts: number[];
  total: number;
}

/** Counts of |v·scale| per log10 bin over [LO, HI]; zeros and non-finite values are left out. */
export function histogram(g: Float32Array, scale: number): Hist {
  const counts = new Array(BINS).fill(0);
  let total = 0;
  for (const v of g) {
    if (v === 0 || !Number.isFinite(v)) continue;
    const l = Math.log10(Math.abs(v) * scale);
    const b = Math.max(0, Math.min(BINS - 1, Math.floor(((l - LO) / (HI - LO)) * BINS)));
    counts[b]++;
    total++;
  }
  return { counts, total };
}
