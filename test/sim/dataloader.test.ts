import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COSTS,
  checkConfig,
  diagnose,
  memoryProblem,
  simulate,
  steadyState,
  sweep,
  toChromeTrace,
  type LoaderConfig,
  type LoaderCosts,
  type SimEnvironment,
} from '../../src/sim/dataloader';
import { checksum, loadBatch } from '../../src/workers/pipeline/decode';
import { openSource, writeSourceFile } from '../../src/workers/pipeline/source';

const base: LoaderConfig = {
  numWorkers: 2,
  prefetchFactor: 2,
  batchSize: 32,
  features: 64,
  format: 'csv',
  augment: 4,
  stepMs: 10,
  stepsPerEpoch: 500,
  epochs: 1,
  pinMemory: false,
  persistentWorkers: true,
};
// 32 samples × 0.25 ms = 8 ms of CPU per batch, no start-up: the steady state is easy to predict.
const costs: LoaderCosts = { ...DEFAULT_COSTS, sampleMs: 0.25, batchOverheadMs: 0, workerStartMs: 0 };
const ram: SimEnvironment = { storage: 'memory', ranks: 1, jitter: 0, seed: 1 };

describe('dataloader simulator', () => {
  it('is deterministic: same inputs, same trace; another seed, another trace', () => {
    const env = { ...ram, jitter: 0.5, seed: 3 };
    const a = simulate(base, costs, env);
    const b = simulate(base, costs, env);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const c = simulate(base, costs, { ...env, seed: 4 });
    expect(c.stats.wallMs).not.toBe(a.stats.wallMs);
  });

  it('matches the steady-state formulas with constant costs', () => {
    const cases: Partial<LoaderConfig>[] = [
      { numWorkers: 0, prefetchFactor: 0 }, // serial: S / (L + C + S)
      { numWorkers: 1, stepMs: 2 }, // data-bound: S / L
      { numWorkers: 3, stepMs: 2 }, // S·n / L
      { numWorkers: 4, stepMs: 10 }, // compute-bound: S / (S + C)
      { numWorkers: 2, stepMs: 3, pinMemory: true, batchSize: 256, features: 1024 },
    ];
    for (const c of cases) {
      const cfg = { ...base, stepsPerEpoch: 4000, ...c };
      const sim = simulate(cfg, costs, ram, { traceBatches: 0 }).stats.utilization;
      const f = steadyState(cfg, costs, ram).utilization;
      expect(Math.abs(sim - f), JSON.stringify(c)).toBeLessThan(0.005);
    }
    const serial = steadyState({ ...base, numWorkers: 0 }, costs, ram);
    expect(serial.loadMs).toBeCloseTo(8, 9);
    expect(serial.utilization).toBeCloseTo(10 / (8 + serial.copyMs + 10), 9);
    expect(steadyState({ ...base, stepMs: 2 }, costs, ram).workersNeeded).toBe(4);
  });

  it('starves the GPU with one slow worker, and says so', () => {
    const cfg = { ...base, numWorkers: 1, stepMs: 2 };
    const r = simulate(cfg, costs, ram);
    expect(r.stats.utilization).toBeGreaterThan(0.22);
    expect(r.stats.utilization).toBeLessThan(0.26);
    expect(r.stats.waitMs / r.stats.wallMs).toBeGreaterThan(0.7);
    // The consumer drains the queue as fast as it fills: it never holds a batch in waiting.
    expect(r.stats.maxQueue).toBeLessThanOrEqual(1);
    const d = diagnose(cfg, () => costs, ram, r.stats, 16);
    expect(d.bound).toBe('data');
    expect(d.lever).toMatch(/num_workers 1 → 4/);
    expect(d.leverUtilization).toBeGreaterThan(0.9);
  });

  it('calls a fast loader compute-bound', () => {
    const cfg = { ...base, numWorkers: 4, stepMs: 20 };
    const r = simulate(cfg, costs, ram);
    expect(r.stats.utilization).toBeGreaterThan(0.95);
    expect(diagnose(cfg, () => costs, ram, r.stats).bound).toBe('compute');
  });

  it('suggests a columnar (Arrow) source when CSV parsing is the cost', () => {
    const costsFor = (c: LoaderConfig) => ({ ...costs, sampleMs: c.format === 'csv' ? 1 : 0.05 });
    const cfg = { ...base, numWorkers: 16, stepMs: 1 };
    const r = simulate(cfg, costsFor(cfg), ram);
    const d = diagnose(cfg, costsFor, ram, r.stats, 16);
    expect(d.lever).toMatch(/Arrow source \(columnar, zero-copy\) instead of CSV/);
  });

  it('never holds more than num_workers × prefetch_factor batches', () => {
    const cfg = { ...base, numWorkers: 3, prefetchFactor: 2, stepMs: 40 };
    const r = simulate(cfg, costs, { ...ram, jitter: 1 });
    expect(r.stats.maxQueue).toBe(6);
  });

  it('prefetching absorbs load-time jitter', () => {
    const cfg = { ...base, numWorkers: 2, stepMs: 4.5, stepsPerEpoch: 3000 };
    const env = { ...ram, jitter: 1.2 };
    const u1 = simulate({ ...cfg, prefetchFactor: 1 }, costs, env, { traceBatches: 0 }).stats.utilization;
    const u8 = simulate({ ...cfg, prefetchFactor: 8 }, costs, env, { traceBatches: 0 }).stats.utilization;
    expect(u8).toBeGreaterThan(u1 + 0.05);
  });

  it('persistent workers pay start-up once instead of every epoch', () => {
    const c = { ...costs, workerStartMs: 500 };
    const cfg = { ...base, epochs: 4, stepsPerEpoch: 50 };
    const fresh = simulate({ ...cfg, persistentWorkers: false }, c, ram).stats;
    const kept = simulate({ ...cfg, persistentWorkers: true }, c, ram).stats;
    expect(fresh.wallMs - kept.wallMs).toBeCloseTo(3 * 500, 6);
    expect(fresh.startupMs).toBe(2000);
    expect(kept.utilization).toBeGreaterThan(fresh.utilization);
  });

  it('object storage shared by many ranks starves each one', () => {
    // 1 MiB batches: 0.8 ms on one node's 1.25 GB/s NIC, 6.7 ms on a 1/64 share of a 10 GB/s store.
    const cfg = {
      ...base,
      numWorkers: 16,
      prefetchFactor: 8,
      batchSize: 256,
      features: 1024,
      format: 'arrow' as const,
      stepMs: 3,
    };
    const c = { ...costs, sampleMs: 0.01 };
    const one = simulate(cfg, c, { ...ram, storage: 'object', ranks: 1 }).stats.utilization;
    const many = simulate(cfg, c, { ...ram, storage: 'object', ranks: 64 }).stats.utilization;
    expect(one).toBeGreaterThan(0.8);
    expect(many).toBeLessThan(0.5);
  });

  it('runs 100,000 steps with 64 workers quickly', () => {
    const cfg = { ...base, numWorkers: 64, prefetchFactor: 4, stepsPerEpoch: 50_000, epochs: 2 };
    const t0 = performance.now();
    const r = simulate(cfg, costs, { ...ram, storage: 'object', jitter: 0.5 });
    const ms = performance.now() - t0;
    expect(r.stats.batches).toBe(100_000);
    expect(r.trace.truncated).toBe(true);
    expect(r.trace.spans.length).toBeLessThan(400 * 4 + 64);
    // The target is < 1 s; the bound leaves room for a loaded shared machine.
    expect(ms).toBeLessThan(3000);
  });

  it('sweeps num_workers × prefetch_factor into a monotone-in-workers grid', () => {
    const s = sweep({ ...base, stepMs: 2 }, costs, ram, [0, 1, 2, 4, 8], [1, 2, 4]);
    expect(s.utilization.length).toBe(5);
    for (let j = 0; j < 3; j++)
      for (let i = 1; i < 5; i++) expect(s.utilization[i][j]).toBeGreaterThanOrEqual(s.utilization[i - 1][j] - 0.01);
    expect(s.utilization[4][0]).toBeGreaterThan(0.9);
  });

  it('exports Chrome Trace Event JSON with one thread per lane and a queue counter', () => {
    const r = simulate({ ...base, stepsPerEpoch: 20 }, costs, ram);
    const t = toChromeTrace(r.trace, { lab: 'dataloader' });
    const x = t.traceEvents.filter((e) => e.ph === 'X');
    expect(x.length).toBe(r.trace.spans.length);
    expect(t.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args?.name)).toEqual([
      'GPU (consumer)',
      'worker 0',
      'worker 1',
    ]);
    expect(t.traceEvents.some((e) => e.ph === 'C')).toBe(true);
    expect(x.every((e) => Number.isInteger(e.ts) && (e.dur ?? -1) >= 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it('handles a 0 ms step without dividing by zero', () => {
    const cfg = { ...base, stepMs: 0 };
    const r = simulate(cfg, costs, ram);
    expect(r.stats.utilization).toBe(0);
    expect(r.stats.samplesPerS).toBeGreaterThan(0);
    expect(diagnose(cfg, () => costs, ram, r.stats).text).toMatch(/0 ms training step/);
  });

  it('rejects bad input with clear messages', () => {
    expect(() => checkConfig({ ...base, prefetchFactor: 0 })).toThrow(/prefetch_factor 0/);
    expect(() => checkConfig({ ...base, numWorkers: -1 })).toThrow(/num_workers must be between 0 and 64/);
    expect(() => checkConfig({ ...base, numWorkers: 2.5 })).toThrow(/whole number/);
    expect(() => checkConfig({ ...base, stepMs: NaN })).toThrow(/0 ms or more/);
    expect(() => checkConfig({ ...base, stepsPerEpoch: 0 })).toThrow(/steps per epoch/);
    expect(() => simulate(base, { ...costs, sampleMs: Infinity }, ram)).toThrow(/sampleMs/);
    expect(() => simulate(base, costs, { ...ram, ranks: 0 })).toThrow(/ranks/);
    expect(() => checkConfig({ ...base, numWorkers: 0, prefetchFactor: 0 })).not.toThrow();
    expect(memoryProblem(3 * 2 ** 30, 5, 8 * 2 ** 30)).toMatch(/3\.0 GiB × 5 copies.*15\.0 GiB.*8\.0 GiB/);
    expect(memoryProblem(2 ** 20, 3, 2 ** 30)).toBeNull();
  });
});

describe('sources', () => {
  it('CSV, Parquet and Arrow files hold the same numbers and give the same batches (wrapping ones too)', async () => {
    // One row group holding everything, and 7-row groups that batches of 8 cross.
    for (const groupRows of [4096, 7]) {
      const spec = { samples: 50, features: 12, seed: 9, groupRows };
      const csv = openSource(writeSourceFile({ ...spec, format: 'csv' }));
      const pq = openSource(writeSourceFile({ ...spec, format: 'parquet' }));
      const arrow = openSource(writeSourceFile({ ...spec, format: 'arrow' }));
      for (const i of [0, 2, 3, 6]) {
        const a = await loadBatch(csv, i, 8, 3);
        const b = await loadBatch(pq, i, 8, 3);
        const c = await loadBatch(arrow, i, 8, 3);
        expect(Array.from(b)).toEqual(Array.from(a));
        expect(Array.from(c)).toEqual(Array.from(a));
        expect(checksum(a)).toBe(checksum(c));
      }
    }
    expect(() => writeSourceFile({ samples: 0, features: 12, seed: 9, format: 'csv' })).toThrow(/Bad dataset size/);
  });
});
