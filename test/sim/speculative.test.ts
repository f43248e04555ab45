import { describe, expect, it } from 'vitest';
import {
  bestGamma,
  expectedTokens,
  monotoneTimes,
  simulateSpeculative,
  speedup,
  speedupByBatch,
  timeAt,
  verifyRatio,
} from '../../src/sim/speculative';

describe('speculative decoding: closed form (Leviathan et al. 2023)', () => {
  it('expected tokens per verification is the geometric sum 1 + α + … + α^γ', () => {
    expect(expectedTokens(0, 4)).toBe(1);
    expect(expectedTokens(1, 4)).toBe(5);
    expect(expectedTokens(0.5, 1)).toBeCloseTo(1.5, 12);
    expect(expectedTokens(0.8, 4)).toBeCloseTo(1 + 0.8 + 0.64 + 0.512 + 0.4096, 12);
  });
  it('speedup matches the paper’s formula with v = 1, e.g. α = 0.8, γ = 5, c = 0.05 → 2.95×', () => {
    const s = speedup(0.8, 5, 0.05);
    expect(s).toBeCloseTo((1 - 0.8 ** 6) / ((1 - 0.8) * (5 * 0.05 + 1)), 12);
    expect(s).toBeCloseTo(2.951, 3);
    // A verification that costs as much as γ+1 plain steps (compute-bound) and a free draft: no gain at all.
    expect(speedup(1, 4, 0, 5)).toBeCloseTo(1, 12);
  });
  it('the best γ grows with α', () => {
    const v = () => 1;
    expect(bestGamma(0.9, 0.05, v).gamma).toBeGreaterThan(bestGamma(0.6, 0.05, v).gamma);
  });
  it('rejects impossible inputs with a message', () => {
    expect(() => expectedTokens(1.2, 3)).toThrow(/acceptance rate α must be between 0 and 1/);
    expect(() => expectedTokens(0.5, 0)).toThrow(/draft length γ/);
    expect(() => speedup(0.5, 3, -1)).toThrow(/draft cost ratio c/);
  });
});

describe('speculative decoding: Monte Carlo agrees with the closed form', () => {
  for (const alpha of [0.3, 0.6, 0.8, 0.95]) {
    for (const gamma of [1, 3, 7]) {
      it(`α = ${alpha}, γ = ${gamma}: mean tokens per verification within 4 standard errors`, () => {
        const r = simulateSpeculative({ alpha, gamma, c: 0.1, v: 1, batch: 4, iterations: 5000, seed: 1234 + gamma });
        expect(Math.abs(r.tokensPerStep - r.expected)).toBeLessThan(4 * r.stdError + 1e-12);
        expect(r.speedup).toBeCloseTo(r.tokensPerStep / (gamma * 0.1 + 1), 12);
        expect(Math.abs(r.speedup - speedup(alpha, gamma, 0.1))).toBeLessThan(0.03 * speedup(alpha, gamma, 0.1));
        // The histogram is the truncated geometric distribution: P(t tokens) = α^(t−1)(1−α) for t ≤ γ.
        expect(r.histogram.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(Math.abs(r.histogram[0] - (1 - alpha))).toBeLessThan(0.02);
      });
    }
  }
  it('is reproducible from its seed', () => {
    const p = { alpha: 0.7, gamma: 4, c: 0.05, v: 1.2, batch: 8, iterations: 200, seed: 99 };
    expect(simulateSpeculative(p)).toEqual(simulateSpeculative(p));
  });
});

describe('speculative decoding with measured GEMM times', () => {
  // A memory-bound GEMM: flat up to 8 rows, then growing linearly (compute-bound).
  const points = [
    { M: 1, ms: 1 },
    { M: 8, ms: 1 },
    { M: 16, ms: 2 },
    { M: 32, ms: 4 },
    { M: 64, ms: 8 },
  ];
  it('treats a faster time at more rows as noise (running maximum)', () => {
    expect(
      monotoneTimes([
        { M: 5, ms: 0.8 },
        { M: 1, ms: 1 },
        { M: 8, ms: 2 },
      ]),
    ).toEqual([
      { M: 1, ms: 1 },
      { M: 5, ms: 1 },
      { M: 8, ms: 2 },
    ]);
  });
  it('interpolates and extrapolates the measured times', () => {
    expect(timeAt(points, 4)).toBe(1);
    expect(timeAt(points, 24)).toBe(3);
    expect(timeAt(points, 128)).toBe(16);
  });
  it('the gain shrinks as the batch grows: v rises from 1 towards γ+1', () => {
    const curve = speedupByBatch(points, 0.8, 4, 0.05, [1, 2, 4, 8, 16]);
    expect(curve[0].v).toBe(1);
    expect(verifyRatio(points, 16, 4)).toBe(5);
    for (let i = 1; i < curve.length; i++) expect(curve[i].speedup).toBeLessThanOrEqual(curve[i - 1].speedup);
    expect(curve[0].speedup).toBeGreaterThan(2.5);
    expect(curve[curve.length - 1].speedup).toBeLessThan(1);
  });
});
