/**
 * Seeded Monte Carlo of speculative decoding, token by token: in each verification every sequence
 * of the batch draws its draft tokens' acceptances (independently, probability α) until the first
 * rejection, and gains the accepted prefix plus one token from the target. The batch advances in
 * lock step, so an iteration costs γ draft steps plus one verification of b(γ+1) rows whatever
 * each sequence accepted. Agrees with the closed form in model.ts (tested), and also gives the
 * spread the closed form hides: how often a verification yields 1, 2, …, γ+1 tokens.
 */
import { mulberry32 } from '../../kernels/random';
import { expectedTokens } from './model';

export interface MonteCarloParams {
  alpha: number;
  gamma: number;
  /** Draft step cost in target steps (Leviathan's c). */
  c: number;
  /** Verification cost in target steps at this batch (1 in the paper; measured in the lab). */
  v: number;
  batch: number;
  iterations: number;
  seed: number;
}

export interface MonteCarloResult {
  /** Mean tokens per sequence per verification, and its standard error. */
  tokensPerStep: number;
  stdError: number;
  /** Closed form for comparison. */
  expected: number;
  /** Tokens per sequence per unit of target-step time, relative to plain decoding (1 token / step). */
  speedup: number;
  /** histogram[t − 1]: fraction of (sequence, verification) pairs that produced t tokens, t = 1..γ+1. */
  histogram: number[];
  /** Fraction of draft tokens accepted (≈ α, except that drafts after a rejection are not drawn). */
  acceptedFraction: number;
}

export function simulateSpeculative(p: MonteCarloParams): MonteCarloResult {
  if (!Number.isInteger(p.batch) || p.batch < 1)
    throw new RangeError(`batch size must be a whole number ≥ 1 (got ${p.batch}).`);
  if (!Number.isInteger(p.iterations) || p.iterations < 1)
    throw new RangeError(`iterations must be a whole number ≥ 1 (got ${p.iterations}).`);
  const expected = expectedTokens(p.alpha, p.gamma);
  const rand = mulberry32(p.seed);
  const counts = new Array<number>(p.gamma + 1).fill(0);
  let sum = 0;
  let sumSq = 0;
  let drafted = 0;
  let accepted = 0;
  const samples = p.iterations * p.batch;
  for (let it = 0; it < p.iterations; it++) {
    for (let s = 0; s < p.batch; s++) {
      let n = 0;
      while (n < p.gamma) {
        drafted++;
        if (rand() >= p.alpha) break;
        n++;
        accepted++;
      }
      const tokens = n + 1;
      counts[n]++;
      sum += tokens;
      sumSq += tokens * tokens;
    }
  }
  const mean = sum / samples;
  const variance = Math.max(0, sumSq / samples - mean * mean);
  const costPerIteration = p.gamma * p.c + p.v;
  return {
    tokensPerStep: mean,
    stdError: Math.sqrt(variance / samples),
    expected,
    speedup: mean / costPerIteration,
    histogram: counts.map((c) => c / samples),
    acceptedFraction: drafted ? accepted / drafted : 0,
  };
}
