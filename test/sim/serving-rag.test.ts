import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, mmc, mmcWaitQuantile } from '../../src/sim/serving/erlang';
import { simulateTandem, sizePipeline, type Station } from '../../src/sim/serving/rag';

const exp = (name: string, servers: number, meanS: number): Station => ({
  name,
  servers,
  meanS,
  dist: 'exponential',
  cv: 1,
});

describe('Erlang closed forms', () => {
  it('match hand-computed values', () => {
    // M/M/1: C = ρ. M/M/2 at a = 1: B = 0.2, C = 1/3.
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    // M/M/1 mean wait ρ/(μ − λ).
    expect(mmc(8, 10, 1).wq).toBeCloseTo(0.8 / 2, 12);
    expect(mmc(12, 10, 1).wq).toBe(Infinity);
  });
});

describe('RAG pipeline simulation', () => {
  it.each([
    [1, 0.8],
    [4, 0.85],
    [32, 0.9],
    [16, 0.85],
  ])(
    'one M/M/%i station at utilisation %s: mean wait within 4 percent of Erlang C, P99 wait within 6 percent',
    (c, rho) => {
      const mu = 100;
      const lambda = rho * c * mu;
      const n = 300_000;
      const r = simulateTandem([exp('s', c, 1 / mu)], lambda, n, 7, 0.1);
      const want = mmc(lambda, mu, c);
      expect(r.stations[0].utilization).toBeCloseTo(rho, 10);
      expect(Math.abs(r.stations[0].meanWaitS / want.wq - 1)).toBeLessThan(0.04);
      expect(r.stations[0].erlangWaitS).toBeCloseTo(want.wq, 12);
      // The P99 wait against the closed-form tail C·exp(−(cμ − λ)t).
      expect(Math.abs(r.stations[0].p99WaitS / mmcWaitQuantile(lambda, mu, c, 0.99) - 1)).toBeLessThan(0.06);
    },
  );

  it('series of M/M/c stations: each one’s mean wait matches Erlang C (Burke: departures stay Poisson)', () => {
    const st = [exp('embed', 3, 0.002), exp('search', 8, 0.006), exp('llm', 20, 0.02)];
    const qps = 900;
    const r = simulateTandem(st, qps, 300_000, 11);
    for (const s of r.stations)
      expect(Math.abs(s.meanWaitS / mmc(qps, 1 / s.meanS, s.servers).wq - 1)).toBeLessThan(0.05);
    expect(r.bottleneck).toBe(2);
    expect(r.stable).toBe(true);
  });

  it('sizes a 10k QPS pipeline under 200 ms by growing the bottleneck stage', () => {
    const st: Station[] = [
      { name: 'embed', servers: 10, meanS: 0.002, dist: 'lognormal', cv: 0.3 },
      { name: 'search', servers: 10, meanS: 0.005, dist: 'exponential', cv: 1 },
      { name: 'rerank', servers: 10, meanS: 0.03, dist: 'lognormal', cv: 0.5 },
      { name: 'llm', servers: 10, meanS: 0.035, dist: 'lognormal', cv: 0.3 },
    ];
    const s = sizePipeline(st, 10_000, 0.2, 40_000, 3);
    expect(s.met).toBe(true);
    expect(s.result.e2e.p99).toBeLessThanOrEqual(0.2);
    // At least λ·s replicas per stage: 20, 50, 300, 350.
    expect(s.servers[2]).toBeGreaterThanOrEqual(300);
    expect(s.servers[3]).toBeGreaterThanOrEqual(350);
    const slow = sizePipeline([{ ...st[3], meanS: 0.25 }], 100, 0.2, 2000, 3);
    expect(slow.met).toBe(false);
    expect(slow.reason).toMatch(/no number of replicas/);
  });
});
