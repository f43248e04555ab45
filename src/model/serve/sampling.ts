import { Rng } from '../rng';

/**
 * How the next token is chosen from a row of logits. Temperature 0 is greedy (argmax, the lowest
 * id on a tie); otherwise softmax(logits / T) restricted to the k most likely tokens (topK 0 =
 * all), drawn with a seeded generator so the same seed writes the same text.
 */
export interface Sampling {
  temperature: number;
  topK: number;
  seed: number;
}

export const GREEDY: Sampling = { temperature: 0, topK: 0, seed: 1 };

export function validateSampling(s: Sampling): Sampling {
  if (!(s.temperature >= 0) || !Number.isFinite(s.temperature))
    throw new RangeError(`temperature must be a number ≥ 0 (got ${s.temperature}).`);
  if (!Number.isInteger(s.topK) || s.topK < 0)
    throw new RangeError(`top-k must be a whole number ≥ 0 (got ${s.topK}).`);
  return s;
}

export function argmax(row: ArrayLike<number>, start = 0, len = row.length - start): number {
  let best = 0;
  for (let v = 1; v < len; v++) if (row[start + v] > row[start + best]) best = v;
  return best;
}

/**
 * The distribution the sampler draws from, as probabilities over the vocabulary: one-hot at the
 * argmax for greedy. Speculative decoding's rejection rule needs these of both models.
 */
export function distribution(row: ArrayLike<number>, start: number, vocab: number, s: Sampling): Float64Array {
  const p = new Float64Array(vocab);
  if (s.temperature === 0) {
    p[argmax(row, start, vocab)] = 1;
    return p;
  }
  let keep: number[] = Array.from({ length: vocab }, (_, v) => v);
  if (s.topK > 0 && s.topK < vocab)
    keep = keep.sort((a, b) => row[start + b] - row[start + a] || a - b).slice(0, s.topK);
  let mx = -Infinity;
  for (const v of keep) mx = Math.max(mx, row[start + v] / s.temperature);
  let sum = 0;
  for (const v of keep) sum += p[v] = Math.exp(row[start + v] / s.temperature - mx);
  for (const v of keep) p[v] /= sum;
  return p;
}

/** One draw from probabilities p (inverse CDF; the last non-zero entry absorbs rounding). */
export function draw(p: ArrayLike<number>, rng: Rng): number {
  const u = rng.next();
  let acc = 0;
  let last = 0;
  for (let v = 0; v < p.length; v++) {
    if (p[v] <= 0) continue;
    acc += p[v];
    last = v;
    if (u < acc) return v;
  }
  return last;
}

export function sampleToken(row: ArrayLike<number>, start: number, vocab: number, s: Sampling, rng: Rng): number {
  if (s.temperature === 0) return argmax(row, start, vocab);
  return draw(distribution(row, start, vocab, s), rng);
}
