import { describe, expect, it } from 'vitest';
import { defaults, type ParamSpec } from '../../src/labkit/schema';
import { meta } from '../../src/labs/serving/meta';
import { groupSpecs } from '../../src/labkit/groups';
import { runServingLab } from '../../src/labs/serving/run';
import { JOBS, jobKeys, monitorJob, planJob, prefixJob, ragJob } from '../../src/labs/serving/jobs';
import { engineConfig, planQps, ragStations, replicaOf, type ServingParams } from '../../src/labs/serving/params';
import { setServingTrace } from '../../src/labs/serving/traceStore';
import { parseTrace } from '../../src/sim/kvcache/traceParse';
import type { LabRunContext } from '../../src/labkit/contract';

function ctx(signal = new AbortController().signal) {
  const progress: [number, string | undefined][] = [];
  const c: LabRunContext = { runtime: null, signal, progress: (f, t) => progress.push([f, t]) };
  return { c, progress };
}

const base: ServingParams = { ...defaults(meta.schema), requests: 600 };

describe('serving lab', () => {
  it('has a schema whose defaults it runs with: a sweep with a knee, progress, and provenance on every result', async () => {
    expect(meta.id).toBe('serving');
    expect(meta.gpu).toBe('none');
    const { c, progress } = ctx();
    const r = await runServingLab(c, { ...base, requests: 1000 });
    expect(r.points).toHaveLength(base.points);
    expect(r.points.map((p) => p.qps)).toEqual(Array.from({ length: 8 }, (_, i) => (32 * (i + 1)) / 8));
    expect(r.knee).toBeGreaterThan(0);
    expect(r.provenance).toMatch(/^simulated: .*datasheet.*not measured$/);
    expect(r.replica.tp).toBe(1);
    expect(progress.length).toBeGreaterThanOrEqual(8);
    expect(progress[progress.length - 1][0]).toBe(1);
    // Plain JSON (scenario recordings store results as JSON).
    expect(JSON.parse(JSON.stringify(r)).points[0].ttft.p99).toBe(r.points[0].ttft.p99);
  });

  it('a 70B model gets a multi-GPU replica; the KV share shrinks the cache', () => {
    expect(replicaOf({ ...base, model: 'llama3.1-70b', gpu: 'h100-sxm' }).tp).toBe(4);
    expect(replicaOf({ ...base, model: 'llama3.1-70b', gpu: 'h200' }).tp).toBe(2);
    const full = engineConfig(base).numBlocks;
    expect(engineConfig({ ...base, kvShare: 0.1 }).numBlocks).toBe(Math.floor(replicaOf(base).numBlocks * 0.1));
    expect(full).toBe(replicaOf(base).numBlocks);
    expect(engineConfig(base).maxQueue).toBe(Infinity);
    expect(planQps(base)).toBeCloseTo(1_000_000 / 60, 6);
  });

  it('refuses bad input with a message naming it', async () => {
    await expect(runServingLab(ctx().c, { ...base, chunked: true, chunk: 64, maxBatch: 256 })).rejects.toThrow(
      /chunked-prefill token budget \(64\).*max batch \(256\)/,
    );
    setServingTrace(null);
    await expect(runServingLab(ctx().c, { ...base, arrivals: 'trace' })).rejects.toThrow(/no trace is loaded/);
  });

  it('runs a trace file, its shape rescaled to each load', async () => {
    const csv = [
      'arrival,prompt,output',
      ...Array.from(
        { length: 300 },
        (_, i) => `${(i * 0.25 + (i % 10 === 0 ? 0 : 0.1)).toFixed(2)},${100 + (i % 7) * 40},${50 + (i % 5) * 30}`,
      ),
    ].join('\n');
    setServingTrace({ name: 'mine.csv', requests: parseTrace(csv) });
    const r = await runServingLab(ctx().c, { ...base, arrivals: 'trace', qpsMax: 8, points: 4 });
    expect(r.traceName).toBe('mine.csv');
    expect(r.requests).toBe(300);
    expect(r.points.every((p) => p.completed === 300)).toBe(true);
    setServingTrace(null);
  });

  it('cancels between slices', async () => {
    const ac = new AbortController();
    const { c } = ctx(ac.signal);
    const run = runServingLab({ ...c, progress: (f) => f > 0.2 && ac.abort() }, { ...base, requests: 4000 });
    await expect(run).rejects.toThrow(/Cancelled/);
  });

  it('jobs: plan prices the fleet, prefix caching hits a shared system prompt, RAG names the bottleneck, the monitor fills in live', async () => {
    expect(Object.values(JOBS)).toEqual(['plan', 'prefix', 'rag', 'monitor']);
    const plan = await planJob(ctx().c, { ...base, planBy: 'qps', targetQps: 500 });
    expect(plan.replicas).toBe(Math.ceil(500 / plan.perReplicaQps));
    expect(plan.dollarsPerHour).toBeCloseTo(plan.gpus * base.price, 9);

    const pre = await prefixJob(ctx().c, { ...base, systemPrompt: 600 });
    expect(pre.hitRate).toBeGreaterThan(0.5);
    expect(pre.on.ttft.p50).toBeLessThan(pre.off.ttft.p50);

    const rag = await ragJob(ctx().c, base);
    expect(rag.current.stations.map((s) => s.name)).toEqual(ragStations(base).map((s) => s.name));
    expect(rag.current.stations[rag.current.bottleneck].name).toBe('Rerank');
    expect(rag.current.stable).toBe(false);
    expect(rag.sizing.met).toBe(true);

    const snaps: number[] = [];
    const mon = await monitorJob(ctx().c, { ...base, alertQueue: 20 }, (s) => snaps.push(s.samples.length));
    expect(snaps.length).toBeGreaterThan(1);
    expect(snaps[snaps.length - 1]).toBe(mon.samples.length);
    expect(mon.events.some((e) => e.metric === 'queue' && e.kind === 'fired')).toBe(true);
    expect(mon.surge.t1).toBeGreaterThan(mon.surge.t0);
  }, 60_000);
});

describe('serving controls placed in their panels', () => {
  it('every panel-placed parameter is drawn by exactly one panel group, and every panel reads its own', () => {
    const placed = (meta.schema as readonly ParamSpec[]).filter((s) => s.placement === 'view').map((s) => s.key);
    // The panel groups are the jobs' names: each job's panel draws its group (PanelParams group=...).
    // The one other, 'own', is the pasted config drawn by the own-model box above the picture (OwnModelBox);
    // every job reads it.
    const groups = meta.groups ?? {};
    // 'served' likewise: the measured step costs set by "Use the model I served" (MeasuredModelBox).
    const panels = Object.keys(groups).filter(
      (id) => groups[id].placement === 'panel' && id !== 'own' && id !== 'served',
    );
    expect([...panels].sort()).toEqual(Object.keys(JOBS).sort());
    expect(groupSpecs(meta, 'own').map((s) => s.key)).toEqual(['config']);
    expect(groupSpecs(meta, 'served').map((s) => s.key)).toEqual(['measured']);
    for (const job of Object.keys(jobKeys) as (keyof typeof jobKeys)[]) {
      const b = defaults(meta.schema) as ServingParams;
      expect(jobKeys[job]({ ...b, config: 'x' }), `${job}/config`).not.toBe(jobKeys[job](b));
      expect(jobKeys[job]({ ...b, measured: 'x' }), `${job}/measured`).not.toBe(jobKeys[job](b));
    }
    const drawn = [...panels, 'own', 'served'].flatMap((id) => groupSpecs(meta, id).map((s) => s.key));
    expect([...drawn].sort()).toEqual([...placed].sort());
    expect(new Set(drawn).size).toBe(drawn.length);
    // A panel's controls change its own job's staleness key: they are what the job reads.
    const base = defaults(meta.schema) as ServingParams;
    for (const job of panels as (keyof typeof jobKeys)[]) {
      for (const key of groupSpecs(meta, job).map((s) => s.key as keyof ServingParams)) {
        const spec = (meta.schema as readonly ParamSpec[]).find((s) => s.key === key)!;
        const other =
          spec.kind === 'enum'
            ? spec.values.find((v) => v !== base[key])
            : spec.kind === 'bool'
              ? !base[key]
              : spec.kind === 'text'
                ? `${base[key]}x`
                : Math.min(spec.max, Number(base[key]) + 1);
        expect(jobKeys[job]({ ...base, [key]: other } as ServingParams), `${job}/${key}`).not.toBe(jobKeys[job](base));
      }
    }
  });
});
