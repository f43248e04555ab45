import { describe, expect, it } from 'vitest';
import { KvSimulator, LLAMA7B_A100, syntheticTrace } from '../../src/sim/kvcache';
import { Engine, type EngineConfig } from '../../src/sim/serving/engine';
import { Cluster } from '../../src/sim/serving/cluster';
import { summarize } from '../../src/sim/serving/metrics';
import { qpsPoints, runSweep, simulatePoint } from '../../src/sim/serving/sweep';
import { unitWorkload, type ServeRequest, type WorkloadSpec } from '../../src/sim/serving/workload';
import { replicaFor } from '../../src/sim/serving/models';

const base: EngineConfig = {
  model: LLAMA7B_A100,
  numBlocks: 512,
  blockSize: 16,
  maxBatch: 64,
  schedule: 'fcfs',
  chunkedPrefill: false,
  prefillChunk: 512,
  prefixCaching: false,
  maxQueue: Infinity,
};
const slo = { ttftS: 1, tpotS: 0.1 };

function asServe(trace: ReturnType<typeof syntheticTrace>): ServeRequest[] {
  return trace.map((r, id) => ({
    id,
    arrival: r.arrival,
    prompt: r.prompt,
    output: r.output,
    priority: 1,
    segs: [{ src: 1000 + 2 * id, len: r.prompt }],
    outSrc: 1001 + 2 * id,
  }));
}

describe('serving engine on the KV-cache simulator’s ground', () => {
  it('reproduces KvSimulator’s first-token and finish times exactly (paged, continuous, recompute), preemptions included', () => {
    const trace = syntheticTrace({ kind: 'chat', requests: 400, ratePerS: 6, seed: 3 });
    const kv = new KvSimulator(trace, {
      allocator: 'paged',
      blockSize: 16,
      numBlocks: 512,
      batching: 'continuous',
      preemption: 'recompute',
      systemPrompt: 0,
      n: 1,
      maxBatch: 64,
      seed: 1,
    });
    const ks = kv.run();
    const e = new Engine(base, asServe(trace)).run();
    expect(ks.preemptions).toBeGreaterThan(0);
    expect(e.preemptions).toBe(ks.preemptions);
    expect(e.step).toBe(ks.steps);
    for (let i = 0; i < trace.length; i++) {
      expect(e.jobs[i].finishTime).toBe(kv.groups[i].finishTime);
      expect(e.jobs[i].firstTokenTime).toBe(kv.groups[i].firstTokenTime);
    }
  });
});

describe('scheduling and load', () => {
  const w: WorkloadSpec = {
    mix: 'chat',
    requests: 1500,
    systemPrompt: 0,
    highPriorityShare: 0.2,
    arrivals: 'poisson',
    cv: 1,
    seed: 5,
    trace: undefined,
  };
  const r = replicaFor('llama2-7b', 'a100-80');
  const cfg: EngineConfig = { ...base, model: r.profile, numBlocks: r.numBlocks, maxBatch: 256 };

  it('P99 latency never falls as QPS rises (seeded sweep, common arrivals)', async () => {
    const unit = unitWorkload(w);
    for (const seed of [5, 6]) {
      const u = seed === 5 ? unit : unitWorkload({ ...w, seed });
      const res = await runSweep(u, qpsPoints(32, 8), cfg, slo);
      for (let i = 1; i < res.points.length; i++) {
        expect(res.points[i].e2e.p99).toBeGreaterThanOrEqual(res.points[i - 1].e2e.p99);
        expect(res.points[i].ttft.p99).toBeGreaterThanOrEqual(res.points[i - 1].ttft.p99);
      }
      expect(res.knee).toBeGreaterThan(0);
      expect(res.maxGoodQps).toBeGreaterThan(res.points[res.knee - 1].qps - 1e-9);
      expect(res.maxGoodQps).toBeLessThanOrEqual(res.points[res.knee].qps);
    }
  });

  it('priority scheduling gives interactive requests a lower P99 TTFT than FCFS does under overload', () => {
    const unit = unitWorkload(w);
    const fc = new Engine(
      cfg,
      unit.map((x) => ({ ...x, arrival: x.arrival / 26 })),
    ).run();
    const pr = new Engine(
      { ...cfg, schedule: 'priority' },
      unit.map((x) => ({ ...x, arrival: x.arrival / 26 })),
    ).run();
    const hi = (e: Engine) =>
      summarize([e], slo) &&
      e.jobs
        .filter((j) => j.r.priority === 0)
        .map((j) => j.firstTokenTime - j.r.arrival)
        .sort((a, b) => a - b);
    const q = (a: number[]) => a[Math.floor(0.99 * a.length)];
    expect(q(hi(pr) as number[])).toBeLessThan(q(hi(fc) as number[]));
  });

  it('chunked prefill lowers P99 time per output token on long prompts', () => {
    const unit = unitWorkload({ ...w, mix: 'summarize' });
    const off = simulatePoint(unit, 3, cfg, slo);
    const on = simulatePoint(unit, 3, { ...cfg, chunkedPrefill: true, prefillChunk: 512 }, slo);
    expect(on.tpot.p99).toBeLessThan(off.tpot.p99);
    expect(on.completed).toBe(unit.length);
  });

  it('a queue limit rejects requests instead of letting the queue grow', () => {
    const unit = unitWorkload(w);
    const p = simulatePoint(unit, 40, { ...cfg, maxQueue: 32 }, slo);
    expect(p.rejected).toBeGreaterThan(0);
    expect(p.completed + p.rejected).toBe(unit.length);
    expect(p.sloMet).toBe(false);
  });

  it('least-outstanding-requests balancing beats round robin on P99 with bursty arrivals', () => {
    const unit = unitWorkload({ ...w, arrivals: 'gamma', cv: 3 });
    const reqs = unit.map((x) => ({ ...x, arrival: x.arrival / 40 }));
    const rr = summarize(new Cluster(cfg, 4, reqs, 'round-robin').run().replicas, slo);
    const lor = summarize(new Cluster(cfg, 4, reqs, 'least-outstanding').run().replicas, slo);
    expect(rr.completed).toBe(unit.length);
    expect(lor.completed).toBe(unit.length);
    expect(lor.e2e.p99).toBeLessThan(rr.e2e.p99);
  });

  it('replicas behind a balancer never run a decode stretch past a request not yet routed', () => {
    // Four replicas at a load one replica handles easily: TTFT must stay near a single replica's.
    const unit = unitWorkload(w).slice(0, 800);
    const one = simulatePoint(unit, 4, cfg, slo);
    const four = summarize(
      new Cluster(
        cfg,
        4,
        unit.map((x) => ({ ...x, arrival: x.arrival / 16 })),
        'round-robin',
      ).run().replicas,
      slo,
    );
    expect(four.ttft.p99).toBeLessThan(2 * one.ttft.p99);
  });
});
