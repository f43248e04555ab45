import { describe, expect, it } from 'vitest';
import { meta as dataloaderMeta } from '../../src/labs/dataloader/meta';
import { runDataloaderLab } from '../../src/labs/dataloader/run';
import { defaults } from '../../src/labkit/schema';
import { nodeWorkerFactory } from '../../src/workers/node/nodeFactory';

const ctx = { runtime: null, signal: new AbortController().signal, progress: () => {} };
const base = defaults(dataloaderMeta.schema);

describe('dataloader lab run', () => {
  it('simulated mode returns plain JSON with a diagnosis and a sweep', async () => {
    const r = await runDataloaderLab(ctx, { ...base, features: 32, augment: 2, numWorkers: 1, stepMs: 4 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.mode).toBe('simulated');
    expect(r.sweep.utilization.length).toBe(r.sweep.workers.length);
    expect(r.sweep.workers.at(-1)).toBe(64);
    expect(r.diagnosis.text.length).toBeGreaterThan(10);
    expect(r.stats.utilization).toBeGreaterThan(0);
  });

  it('explains a source larger than host memory', async () => {
    await expect(
      runDataloaderLab(ctx, { ...base, stepsPerEpoch: 100000, batchSize: 1024, features: 4096, storage: 'memory' }),
    ).rejects.toThrow(/larger than the 64 GiB of host RAM.*NVMe or object storage/);
    // Streamed from storage, the same size is fine.
    const r = await runDataloaderLab(ctx, {
      ...base,
      stepsPerEpoch: 100000,
      epochs: 1,
      batchSize: 1024,
      features: 4096,
      storage: 'object',
      numWorkers: 64,
      augment: 0,
    });
    expect(r.stats.batches).toBe(100000);
  });

  it('live mode clamps num_workers to the hardware with a reason, and runs real workers', async () => {
    const factory = await nodeWorkerFactory();
    const r = await runDataloaderLab(
      ctx,
      {
        ...base,
        mode: 'live',
        numWorkers: 12,
        features: 16,
        augment: 1,
        batchSize: 8,
        stepMs: 0,
        stepsPerEpoch: 400,
        epochs: 2,
      },
      { factory, hardwareThreads: 2 },
    );
    expect(r.cfg.numWorkers).toBe(2);
    expect(r.notes.join(' ')).toMatch(/num_workers 12 is more than this machine’s 2 hardware threads; running 2/);
    expect(r.notes.join(' ')).toMatch(/capped at 600 steps/);
    expect(r.cfg.stepsPerEpoch).toBe(300);
    expect(r.simulatedUtilization).not.toBeNull();
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(factory.live()).toBe(0);
  });

  it('live mode refuses a source that would not fit in the tab', async () => {
    const factory = await nodeWorkerFactory();
    await expect(
      runDataloaderLab(
        ctx,
        { ...base, mode: 'live', numWorkers: 16, features: 4096, batchSize: 1024, stepsPerEpoch: 600, epochs: 1 },
        // The live source is capped near a million values (one 1024-sample batch here: 33 MB of CSV),
        // so a 256 MiB budget stands in for a smaller tab: 16 copies do not fit.
        { factory, hardwareThreads: 16, memoryBudget: 256 * 2 ** 20 },
      ),
    ).rejects.toThrow(/larger than the memory available/);
    expect(factory.live()).toBe(0);
  });

  it('a 0 ms step is explained, not divided by', async () => {
    const r = await runDataloaderLab(ctx, { ...base, stepMs: 0, features: 16, augment: 0 });
    expect(r.stats.utilization).toBe(0);
    expect(r.notes.join(' ')).toMatch(/0 ms training step/);
    expect(r.diagnosis.bound).toBe('idle');
  });
});
