import { describe, expect, it } from 'vitest';
import { Monitor, surgeArrivals } from '../../src/sim/serving/monitor';
import { servingChromeTrace } from '../../src/sim/serving/chromeTrace';
import { planCapacity } from '../../src/sim/serving/planner';
import { replicaFor } from '../../src/sim/serving/models';
import { unitWorkload } from '../../src/sim/serving/workload';
import type { EngineConfig } from '../../src/sim/serving/engine';

const r = replicaFor('llama2-7b', 'a100-80');
const cfg: EngineConfig = {
  model: r.profile,
  numBlocks: r.numBlocks,
  blockSize: 16,
  maxBatch: 256,
  schedule: 'fcfs',
  chunkedPrefill: false,
  prefillChunk: 512,
  prefixCaching: false,
  maxQueue: 200,
};
const unit = unitWorkload({
  mix: 'chat',
  requests: 3000,
  systemPrompt: 0,
  highPriorityShare: 0,
  arrivals: 'poisson',
  cv: 1,
  seed: 4,
});

describe('monitoring dashboard', () => {
  it('a traffic surge fires the queue and TTFT alerts during the surge, and they resolve after it', () => {
    const reqs = surgeArrivals(unit, 8, 4);
    const m = new Monitor(
      cfg,
      reqs,
      [
        { metric: 'queue', above: 50 },
        { metric: 'ttftP99S', above: 2 },
        { metric: 'kv', above: 0.999 },
      ],
      100,
    ).run();
    expect(m.samples.length).toBeGreaterThanOrEqual(95);
    const span = reqs[reqs.length - 1].arrival;
    const fired = m.events.filter((e) => e.kind === 'fired');
    expect([...new Set(fired.map((e) => e.metric))].sort()).toEqual(['queue', 'ttftP99S']);
    // The surge is the middle third of the arrivals; the alerts fire after it starts.
    const start = reqs[Math.floor(0.35 * reqs.length)].arrival;
    for (const e of fired) expect(e.t).toBeGreaterThan(start);
    // Edge-triggered: a rule alternates fired/resolved, and both are resolved once the surge has drained.
    for (const metric of ['queue', 'ttftP99S'] as const) {
      const k = m.events.filter((e) => e.metric === metric).map((e) => e.kind);
      k.forEach((x, i) => expect(x).toBe(i % 2 ? 'resolved' : 'fired'));
      expect(k[k.length - 1]).toBe('resolved');
    }
    // Series are consistent with the run: tokens per window add up to all output tokens.
    const tokens = m.samples.reduce((a, s) => a + s.tokPerS * m.window, 0);
    expect(tokens).toBeCloseTo(reqs.reduce((a, q) => a + q.output, 0) - 0, -1);
    for (const s of m.samples) {
      expect(s.gpuBusy).toBeLessThanOrEqual(1);
      expect(s.kv).toBeLessThanOrEqual(1);
    }
    expect(span).toBeGreaterThan(0);
  });

  it('the queue limit turns overload into rejects, seen on the dashboard', () => {
    const m = new Monitor({ ...cfg, maxQueue: 20 }, surgeArrivals(unit, 10, 6), [
      { metric: 'rejectRate', above: 0.05 },
    ]).run();
    expect(m.engine.rejected).toBeGreaterThan(0);
    expect(m.events.some((e) => e.metric === 'rejectRate' && e.kind === 'fired')).toBe(true);
    expect(Math.max(...m.samples.map((s) => s.rejectRate))).toBeGreaterThan(0.05);
  });

  it('exports a Chrome trace with steps, request spans, counters and alert instants', () => {
    const m = new Monitor(cfg, surgeArrivals(unit.slice(0, 300), 8, 4), [{ metric: 'queue', above: 5 }]).run();
    const t = servingChromeTrace(
      { steps: m.steps, jobs: m.engine.jobs, samples: m.samples, alerts: m.events },
      { model: cfg.model.name },
    );
    const kinds = new Set(t.traceEvents.map((e) => e.ph));
    for (const k of ['M', 'X', 'b', 'e', 'C']) expect(kinds.has(k as never)).toBe(true);
    const b = t.traceEvents.filter((e) => e.ph === 'b').length;
    expect(b).toBe(t.traceEvents.filter((e) => e.ph === 'e').length);
    expect(b).toBe(3 * 300);
    for (const e of t.traceEvents) if (e.ph === 'X') expect(e.dur).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(t)).otherData.simulated).toBe(true);
  });
});

describe('capacity planner', () => {
  it('sizes a fleet for a target load from the per-replica knee, and checks it behind both balancers', async () => {
    const small = unit.slice(0, 800);
    const p = await planCapacity({
      targetQps: 1000,
      unit: small,
      config: { ...cfg, maxQueue: Infinity },
      slo: { ttftS: 0.5, tpotS: 0.05 },
      gpusPerReplica: 1,
      dollarsPerGpuHour: 2,
      checkReplicas: 4,
    });
    expect(p.perReplicaQps).toBeGreaterThan(1);
    expect(p.replicas).toBe(Math.ceil(1000 / p.perReplicaQps));
    expect(p.gpus).toBe(p.replicas);
    expect(p.dollarsPerHour).toBe(2 * p.gpus);
    // The bisection brackets the knee: the largest passing probe is the answer, every larger one failed.
    const passing = p.probes.filter((x) => x.met).map((x) => x.qps);
    expect(Math.max(...passing)).toBe(p.perReplicaQps);
    for (const x of p.probes) if (x.qps > p.perReplicaQps) expect(x.met).toBe(false);
    expect(p.balancers.map((b) => b.balancer)).toEqual(['round-robin', 'least-outstanding']);
    for (const b of p.balancers) expect(b.summary.completed).toBe(800);
    await expect(
      planCapacity({
        targetQps: 10,
        unit: small,
        config: cfg,
        slo: { ttftS: 0.001, tpotS: 0.001 },
        gpusPerReplica: 1,
        dollarsPerGpuHour: 2,
        checkReplicas: 2,
      }),
    ).rejects.toThrow(/cannot meet the SLO/);
  });
});
