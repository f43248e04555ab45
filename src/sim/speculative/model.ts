/**
 * Speculative decoding (Leviathan, Kalman & Matias, "Fast Inference from Transformers via
 * Speculative Decoding", ICML 2023): a cheap draft model proposes γ tokens, the target model
 * verifies all of them in one pass over its weights (a GEMM with γ+1 rows instead of a GEMV),
 * and keeps the longest accepted prefix plus one token of its own.
 *
 * With each draft token accepted independently with probability α (the paper's simplifying
 * assumption), the tokens produced per verification are 1 + (accepted prefix length):
 *   E[tokens] = (1 − α^(γ+1)) / (1 − α)                                    (paper, eq. 1)
 * One iteration costs γ draft steps (each c target steps) plus one verification. The paper takes
 * the verification to cost one target step (v = 1: memory-bound, the extra rows are free), giving
 *   speedup = (1 − α^(γ+1)) / ((1 − α)(γc + 1))                            (paper, Theorem 3.8)
 * Here v is measured instead: v = T(b·(γ+1)) / T(b), the time of the target's GEMM with the
 * verification's rows over the time of a plain decode step with b sequences in the batch. While
 * the GEMM is memory-bound v ≈ 1; once it is compute-bound v → γ+1 and the gain is gone.
 */

/** Expected tokens per verification: 1 + α + α² + … + α^γ. */
export function expectedTokens(alpha: number, gamma: number): number {
  checkAlpha(alpha);
  checkGamma(gamma);
  if (alpha === 1) return gamma + 1;
  return (1 - alpha ** (gamma + 1)) / (1 - alpha);
}

/** Speedup over plain decoding: E[tokens] / (γ·c + v). v = 1 is Leviathan et al.'s formula. */
export function speedup(alpha: number, gamma: number, c: number, v = 1): number {
  if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`draft cost ratio c must be a number ≥ 0 (got ${c}).`);
  if (!(v > 0) || !Number.isFinite(v))
    throw new RangeError(`verification cost ratio v must be a number > 0 (got ${v}).`);
  return expectedTokens(alpha, gamma) / (gamma * c + v);
}

/** The γ in 1..maxGamma with the largest speedup, given v as a function of γ. */
export function bestGamma(
  alpha: number,
  c: number,
  v: (gamma: number) => number,
  maxGamma = 16,
): { gamma: number; speedup: number } {
  let best = { gamma: 1, speedup: -Infinity };
  for (let g = 1; g <= maxGamma; g++) {
    const s = speedup(alpha, g, c, v(g));
    if (s > best.speedup) best = { gamma: g, speedup: s };
  }
  return best;
}

/** A measured GEMM time: M activation rows took `ms` on this device. */
export interface TimedRows {
  M: number;
  ms: number;
}

/**
 * Time for M rows from measured points: piecewise linear between them; beyond the last point,
 * linear in M with the slope of the last two (the compute-bound regime grows with the rows);
 * below the first, the first point's time (a GEMV cannot get cheaper than one pass over W).
 */
export function timeAt(points: TimedRows[], M: number): number {
  if (!points.length) throw new RangeError('no measured GEMM times to interpolate.');
  const p = [...points].sort((a, b) => a.M - b.M);
  if (M <= p[0].M) return p[0].ms;
  for (let i = 1; i < p.length; i++) {
    if (M <= p[i].M) {
      const t = (M - p[i - 1].M) / (p[i].M - p[i - 1].M);
      return p[i - 1].ms + t * (p[i].ms - p[i - 1].ms);
    }
  }
  const a = p[p.length - 2] ?? p[0];
  const b = p[p.length - 1];
  const slope = b.M > a.M ? Math.max(0, (b.ms - a.ms) / (b.M - a.M)) : b.ms / b.M;
  return b.ms + slope * (M - b.M);
}

/**
 * The running maximum of measured times over M: a GEMM with more rows does at least the work of
 * one with fewer, so a smaller time at larger M is timing noise (common on busy or software
 * adapters), and using it would credit speculative decoding with a verification cheaper than a step.
 */
export function monotoneTimes(points: TimedRows[]): TimedRows[] {
  const sorted = [...points].sort((a, b) => a.M - b.M);
  let max = 0;
  return sorted.map((p) => {
    max = Math.max(max, p.ms);
    return { M: p.M, ms: max };
  });
}

/** v for a batch of b sequences each verifying γ+1 tokens: T(b(γ+1)) / T(b). */
export function verifyRatio(points: TimedRows[], batch: number, gamma: number): number {
  return timeAt(points, batch * (gamma + 1)) / timeAt(points, batch);
}

export interface BatchPoint {
  batch: number;
  /** Rows the verification GEMM has: b(γ+1). */
  rows: number;
  v: number;
  speedup: number;
}

/** Speedup against batch size with v from the measured times: why the gain shrinks as b grows. */
export function speedupByBatch(
  points: TimedRows[],
  alpha: number,
  gamma: number,
  c: number,
  batches: number[],
): BatchPoint[] {
  return batches.map((batch) => {
    const v = verifyRatio(points, batch, gamma);
    return { batch, rows: batch * (gamma + 1), v, speedup: speedup(alpha, gamma, c, v) };
  });
}

function checkAlpha(alpha: number): void {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`acceptance rate α must be between 0 and 1 (got ${alpha}).`);
}

function checkGamma(gamma: number): void {
  if (!Number.isInteger(gamma) || gamma < 1)
    throw new RangeError(`draft length γ must be a whole number ≥ 1 (got ${gamma}).`);
}
