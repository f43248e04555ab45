import { describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config';
import { initParams } from '../../src/model/init';
import { Rng } from '../../src/model/rng';
import { ArrayKv, cachedForward, serveModel } from '../../src/model/serve/cachedForward';
import { distribution, GREEDY, type Sampling } from '../../src/model/serve/sampling';
import {
  acceptanceRate,
  emptyStats,
  meanBeta,
  plainGenerate,
  speculativeGenerate,
  tokensPerPass,
} from '../../src/model/serve/speculative';
import { expectedTokens } from '../../src/sim/speculative/model';

// Target and a smaller draft: random GPTs with weights scaled up so their distributions are peaked.
// The draft shares the target's embeddings (as a draft distilled from it would be close), so the two agree often but not always.
const tc: GptConfig = { layers: 2, dModel: 16, heads: 2, context: 32, vocab: 13, batch: 1 };
const dc: GptConfig = { layers: 1, dModel: 16, heads: 2, context: 32, vocab: 13, batch: 1 };
function scaled(c: GptConfig, seed: number, gain: number): Float32Array {
  const w = initParams(c, seed);
  for (let i = 0; i < w.length; i++) if (w[i] !== 1) w[i] *= gain;
  return w;
}
const tw = scaled(tc, 3, 12);
const target = serveModel(tc, tw);
const dw = scaled(dc, 5, 12);
// The draft's embeddings (wte, wpe: the first 13·16 + 32·16 values of both layouts) copied from the target.
dw.set(tw.subarray(0, 13 * 16 + 32 * 16));
const draft = serveModel(dc, dw);

const prompts = [
  [1, 2, 10, 3, 4, 11],
  [9, 9, 10, 0, 1, 11],
  [5, 10, 5, 11],
  [7, 3, 10, 8, 8, 11],
];

describe('speculative decoding with a real draft', () => {
  it("greedy: exactly the target's greedy tokens for every γ, in fewer target passes", () => {
    for (const gamma of [1, 3, 5]) {
      const stats = emptyStats(gamma);
      for (const p of prompts) {
        const want = plainGenerate(target, p, 16, GREEDY, new Rng(1));
        const got = speculativeGenerate(target, draft, p, 16, gamma, GREEDY, new Rng(1), stats);
        expect(got.tokens).toEqual(want);
      }
      expect(stats.targetPasses).toBeLessThan(prompts.length * 16);
      // Every verification wrote between 1 and γ+1 tokens, and the histogram accounts for them all.
      expect(stats.histogram.reduce((a, c, i) => a + c * (i + 1), 0)).toBe(stats.written);
      expect(stats.histogram.reduce((a, b) => a + b, 0)).toBe(stats.targetPasses);
    }
  });

  it('a draft identical to the target is always accepted: γ+1 tokens per pass', () => {
    const stats = emptyStats(4);
    const sampling: Sampling = { temperature: 1, topK: 0, seed: 1 };
    speculativeGenerate(target, target, prompts[0], 15, 4, sampling, new Rng(9), stats);
    expect(acceptanceRate(stats)).toBe(1);
    expect(stats.histogram[4]).toBe(stats.targetPasses);
  });

  it("sampled: the measured α gives Leviathan's closed form for tokens per pass within the Monte Carlo error", () => {
    const gamma = 3;
    const sampling: Sampling = { temperature: 1, topK: 0, seed: 1 };
    const stats = emptyStats(gamma);
    const rng = new Rng(2024);
    for (let r = 0; r < 60; r++)
      speculativeGenerate(target, draft, prompts[r % prompts.length], 20, gamma, sampling, rng, stats);
    const alpha = acceptanceRate(stats);
    const { mean, stdError } = tokensPerPass(stats);
    // Measured on this pair: α ≈ 0.61 over 569 verifications, 2.21 ± 0.05 tokens per pass vs 2.22 closed form.
    expect(alpha).toBeGreaterThan(0.2);
    expect(alpha).toBeLessThan(0.98);
    expect(Math.abs(mean - expectedTokens(alpha, gamma))).toBeLessThan(3 * stdError);
    // The kept fraction estimates the expected acceptance β = Σ min(p, q) (Leviathan's α).
    expect(Math.abs(alpha - meanBeta(stats))).toBeLessThan(0.05);
  });

  it('sampled: the first written token is distributed as the target’s own (rejection sampling keeps p)', () => {
    const sampling: Sampling = { temperature: 1, topK: 0, seed: 1 };
    const prompt = prompts[1];
    const p = distribution(
      cachedForward(target, new ArrayKv(2, 16, 32), prompt).logits,
      (prompt.length - 1) * 13,
      13,
      sampling,
    );
    const n = 1500;
    const counts = new Array<number>(13).fill(0);
    const rng = new Rng(77);
    for (let i = 0; i < n; i++) counts[speculativeGenerate(target, draft, prompt, 1, 3, sampling, rng).tokens[0]]++;
    for (let v = 0; v < 13; v++) {
      const sd = Math.sqrt(n * p[v] * (1 - p[v]) || 1);
      expect(Math.abs(counts[v] - n * p[v])).toBeLessThan(4.5 * sd);
    }
  });
});
