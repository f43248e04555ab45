/** Float64 references for y = x·Wᵀ and the error measures the lab reports. */

/**
 * y[m][n] = Σ_k x[m][k]·W[n][k] in float64, for all n or only the listed output channels
 * (`cols`, for large layers where the full reference would take seconds on the CPU). The result
 * is M×cols.length, row-major.
 */
export function gemvReference(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  M: number,
  N: number,
  K: number,
  cols?: number[],
): Float64Array {
  const list = cols ?? Array.from({ length: N }, (_, n) => n);
  const out = new Float64Array(M * list.length);
  for (let m = 0; m < M; m++) {
    for (let j = 0; j < list.length; j++) {
      const n = list[j];
      let s = 0;
      for (let k = 0; k < K; k++) s += x[m * K + k] * w[n * K + k];
      out[m * list.length + j] = s;
    }
  }
  return out;
}

/** Picks the columns of a GPU result (M×N) that a sampled reference covers. */
export function pickColumns(y: ArrayLike<number>, M: number, N: number, cols: number[]): Float64Array {
  const out = new Float64Array(M * cols.length);
  for (let m = 0; m < M; m++) for (let j = 0; j < cols.length; j++) out[m * cols.length + j] = y[m * N + cols[j]];
  return out;
}

/** Evenly spread output channels, first and last included: a sample for large references. */
export function sampleColumns(N: number, count: number): number[] {
  if (count >= N) return Array.from({ length: N }, (_, n) => n);
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(Math.round((i * (N - 1)) / (count - 1)));
  return [...out];
}

export interface ErrorStats {
  /** max |got − want| / max |want|: 0 means identical, ~1e-7 is f32 rounding. */
  relMax: number;
  /** √(Σ(got − want)² / Σ want²): the relative size of the error over the whole output. */
  relRms: number;
  maxAbs: number;
}

export function errorStats(got: ArrayLike<number>, want: ArrayLike<number>): ErrorStats {
  let maxAbs = 0;
  let maxWant = 0;
  let se = 0;
  let sw = 0;
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
    maxWant = Math.max(maxWant, Math.abs(want[i]));
    se += d * d;
    sw += want[i] * want[i];
  }
  return {
    maxAbs,
    relMax: maxWant > 0 ? maxAbs / maxWant : maxAbs,
    relRms: sw > 0 ? Math.sqrt(se / sw) : Math.sqrt(se),
  };
}
