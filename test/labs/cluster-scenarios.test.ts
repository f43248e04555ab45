import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meta } from '../../src/labs/cluster/meta';
import { runCluster, type ClusterParams, type ClusterResult } from '../../src/labs/cluster/run';
import { defaults } from '../../src/labkit/schema';
import { stateAt } from '../../src/scenarios/state';
import type { Scenario } from '../../src/scenarios/schema';

/**
 * The cluster scenarios' narratives state figures the lab computes; each is recomputed here from the
 * lab's own run at that step, so a model change that breaks a sentence fails this test.
 */
const root = join(import.meta.dirname, '../..');
const ctx = { runtime: null, signal: new AbortController().signal, progress: () => {} };
const load = (id: string) => JSON.parse(readFileSync(join(root, 'scenarios', `${id}.json`), 'utf8')) as Scenario;

async function at(s: Scenario, step: number): Promise<ClusterResult> {
  const p = { ...defaults(meta.schema), ...stateAt(s, step).params.cluster } as ClusterParams;
  return runCluster(ctx, p);
}
const gb = (r: ClusterResult, strategy: string, part: 'total' | 'states' | 'activations') => {
  const m = r.memory.find((x) => x.strategy === strategy)!.m;
  return (part === 'states' ? m.params + m.grads + m.optimizer : m[part]) / 1e9;
};

describe('cluster-why-fsdp', () => {
  const s = load('cluster-why-fsdp');
  it('DDP of 6.7B: 16 × 6.66 B ≈ 107 GB of model states, over 80 GB', async () => {
    const r = await at(s, 0);
    expect(s.steps[0].text).toContain('16 × 6.66 B ≈ 107 GB');
    expect(s.goodAnswer![0]).toContain('~107 GB per GPU');
    expect((r.model.params / 1e9).toFixed(2)).toBe('6.66');
    expect(Math.round(gb(r, 'ddp', 'states'))).toBe(107);
    expect(gb(r, 'ddp', 'total')).toBeGreaterThan(80);
  });
  it('ZeRO-3: 1.7 GB of model states; 3Ψ vs 2Ψ; ~10% MFU at one sequence, several-fold more at four', async () => {
    const r = await at(s, 2);
    expect(s.steps[2].text).toContain('1.7 GB of model states');
    expect(gb(r, 'zero3', 'states').toFixed(1)).toBe('1.7');
    const costs = await at(s, 3);
    expect(costs.step!.mfu).toBeGreaterThan(0.08);
    expect(costs.step!.mfu).toBeLessThan(0.12);
    expect(s.steps[3].text).toContain('MFU about 10%');
    const more = await at(s, 4);
    expect(more.step!.mfu / costs.step!.mfu).toBeGreaterThan(3);
    expect(gb(more, 'zero3', 'total')).toBeLessThan(80);
  });
  it('DDP at a fixed batch: ~50% → ~30% at 256 GPUs → ~12% at 1,024, then no micro-batch left', async () => {
    const r = await at(s, 5);
    const ddp = (n: number) => r.scaling.find((p) => p.strategy === 'ddp' && p.gpus === n)!;
    expect(Math.round(ddp(8).step!.mfu * 100)).toBe(50);
    expect(Math.round(ddp(256).step!.mfu * 100)).toBe(30);
    expect(Math.round(ddp(1024).step!.mfu * 100)).toBe(12);
    expect(ddp(2048).reason).toBe('batch');
    expect(s.steps[5].text).toContain('~30% at 256 GPUs and ~12% at 1,024');
  });
  it('70B with FSDP alone: ~1 GB of states, ~520 GB of activations; 3D layout: about 21 GB', async () => {
    const r = await at(s, 6);
    expect(Math.round(gb(r, 'zero3', 'states'))).toBe(1);
    expect(Math.round(gb(r, 'zero3', 'activations') / 10) * 10).toBe(520);
    const d3 = await at(s, 7);
    expect(Math.round(gb(d3, 'zero1', 'total'))).toBe(21);
    expect(s.steps[7].text).toContain('About 21 GB per GPU');
    expect(d3.memory[0].m.dataParallel).toBe(32);
  });
});

describe('cluster-crashed-at-hour-40', () => {
  const s = load('cluster-crashed-at-hour-40');
  it('the crash at hour 40 rolls back under 4 h and waits the 12-hour repair; a spare removes the wait', async () => {
    const r = await at(s, 0);
    const crash = r.failure.result!.events.find((e) => e.kind === 'hardware-failure' && e.t === 40)!;
    expect(crash.lostH!).toBeGreaterThan(0);
    expect(crash.lostH!).toBeLessThanOrEqual(4);
    expect(r.failure.result!.waitH).toBeCloseTo(12, 6);
    const spare = await at(s, 1);
    expect(spare.failure.result!.waitH).toBe(0);
  });
  it('512 GPUs: MTBF ~4 days, a ~1 TB checkpoint under a minute, Young ≈ an hour and a half', async () => {
    const r = await at(s, 2);
    expect(Math.round(r.failure.mtbfH / 24)).toBe(4);
    expect((r.failure.checkpointBytes / 1e12).toFixed(1)).toBe('1.0');
    expect(r.failure.config!.writeH * 3600).toBeLessThan(60);
    expect(r.failure.youngH).toBeGreaterThan(1.4);
    expect(r.failure.youngH).toBeLessThan(1.7);
    const crash = r.failure.result!.events.find((e) => e.t === 40)!;
    expect(crash.lostH!).toBeLessThan(1.5);
  });
  it('async stalls a fraction of a second; 16,384 GPUs: MTBF ~3 h, Young ~17 min, goodput about 80%; local async improves it', async () => {
    const a = await at(s, 3);
    expect(a.failure.config!.snapshotH * 3600).toBeLessThan(1);
    const big = await at(s, 4);
    expect(Math.round(big.failure.mtbfH)).toBe(3);
    expect(Math.round(big.failure.youngH * 60)).toBe(17);
    expect(Math.round(big.failure.result!.goodput * 10)).toBe(8);
    const local = await at(s, 5);
    expect(local.failure.result!.goodput).toBeGreaterThan(big.failure.result!.goodput);
    expect(local.failure.result!.lostH).toBeLessThan(big.failure.result!.lostH);
  });
});

describe('cluster-survive-node-failures', () => {
  const s = load('cluster-survive-node-failures');
  it('waiting collapses goodput, spares help then run dry, elastic loses far less capacity than waiting, fast restarts help most', async () => {
    const [wait, spares, elastic, local, fast] = await Promise.all([0, 1, 2, 3, 4].map((i) => at(s, i)));
    expect(wait.failure.result!.goodput).toBeLessThan(0.1);
    expect(spares.failure.result!.goodput).toBeGreaterThan(wait.failure.result!.goodput);
    expect(spares.failure.result!.waitH).toBeGreaterThan(0.3 * spares.failure.result!.horizonH);
    expect(elastic.failure.result!.waitH).toBe(0);
    expect(elastic.failure.result!.degradedH).toBeLessThan(0.2 * spares.failure.result!.waitH);
    expect(local.failure.result!.goodput).toBeGreaterThan(elastic.failure.result!.goodput);
    expect(fast.failure.result!.goodput).toBeGreaterThan(local.failure.result!.goodput + 0.05);
    // "about 10% of the nodes can be out": 78% of failures × 72 h repair at this rate ≈ 48 of 512 nodes.
    const c = wait.failure.config!;
    const outAtOnce = c.failuresPerGpuHour * c.gpus * c.hardwareFraction * c.repairH;
    expect(Math.round((outAtOnce / (c.gpus / c.gpusPerNode)) * 100)).toBeGreaterThanOrEqual(8);
    expect(Math.round((outAtOnce / (c.gpus / c.gpusPerNode)) * 100)).toBeLessThanOrEqual(11);
  });
});
