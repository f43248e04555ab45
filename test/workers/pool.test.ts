import * as Comlink from 'comlink';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checksum, loadBatch } from '../../src/workers/pipeline/decode';
import { openSource, writeSourceFile, type SourceFile } from '../../src/workers/pipeline/source';
import { createWorkerApi } from '../../src/workers/pipeline/workerApi';
import { nodeWorkerFactory } from '../../src/workers/node/nodeFactory';
import { WorkerPool, type WorkerFactory, type WorkerHandle } from '../../src/workers/pool';
import { runLive } from '../../src/workers/live';
import { simulate } from '../../src/sim/dataloader/simulate';
import type { LoaderConfig } from '../../src/sim/dataloader/types';

// Parquet: the worker's reads await (row-group decode), the case where a worker could interleave two loads.
const spec: SourceFile = writeSourceFile({ format: 'parquet', samples: 24 * 8, features: 16, seed: 7 });
let reference: number[] = [];

let factory: Awaited<ReturnType<typeof nodeWorkerFactory>>;
let pools: WorkerPool[] = [];
beforeAll(async () => {
  factory = await nodeWorkerFactory();
  const src = openSource(spec);
  reference = [];
  for (let i = 0; i < 24; i++) reference.push(checksum(await loadBatch(src, i, 8, 2)));
});
afterEach(() => {
  for (const p of pools) p.stop();
  pools = [];
});

function pool(opts: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}): WorkerPool {
  const p = new WorkerPool({
    factory,
    numWorkers: 3,
    prefetchFactor: 2,
    source: spec,
    batchSize: 8,
    augment: 2,
    ...opts,
  });
  pools.push(p);
  return p;
}

async function drain(p: WorkerPool, first: number, count: number): Promise<{ ids: number[]; sums: number[] }> {
  const ids: number[] = [];
  const sums: number[] = [];
  for (let i = 0; i < count; i++) {
    const b = await p.next();
    ids.push(b.id);
    sums.push(b.checksum);
    expect(b.data.length).toBe(8 * 16);
  }
  expect(ids).toEqual(Array.from({ length: count }, (_, i) => first + i));
  return { ids, sums };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('worker pool on real worker_threads', () => {
  it('delivers every batch once, in order, with the data the main thread would load', async () => {
    const p = pool();
    await p.spawn();
    p.beginEpoch(0, 24);
    const { sums } = await drain(p, 0, 24);
    expect(sums).toEqual(reference);
    await expect(p.next()).rejects.toThrow(/exhausted/);
  });

  it('restarts crashed workers and re-issues their in-flight batches: none lost, none twice', async () => {
    const crashes: { slot: number; reissued: number[] }[] = [];
    const p = pool({
      prefetchFactor: 3,
      crashOn: [4, 13],
      onCrash: (slot, _r, reissued) => crashes.push({ slot, reissued }),
    });
    await p.spawn();
    p.beginEpoch(0, 24);
    const { sums } = await drain(p, 0, 24);
    expect(sums).toEqual(reference);
    expect(p.crashes).toBe(2);
    expect(crashes.map((c) => c.slot)).toEqual([4 % 3, 13 % 3]);
    // The crashing batch itself was in flight, plus what was queued behind it on that worker.
    expect(crashes[0].reissued).toContain(4);
    expect(p.reissued).toBeGreaterThanOrEqual(2);
    expect(p.duplicatesDropped).toBe(0);
  });

  it('recovers from a crash while the consumer is waiting on that very batch', async () => {
    const p = pool({ numWorkers: 2, prefetchFactor: 1, crashOn: [0] });
    await p.spawn();
    p.beginEpoch(0, 6);
    const { sums } = await drain(p, 0, 6);
    expect(sums).toEqual(reference.slice(0, 6));
    expect(p.crashes).toBe(1);
  });

  it('crashWorker() (the demo button) kills that worker on its next batch, even before the epoch starts', async () => {
    const p = pool({ numWorkers: 2 });
    await p.spawn();
    expect(p.crashWorker(1)).toBe(true);
    expect(p.crashWorker(5)).toBe(false);
    p.beginEpoch(0, 8);
    const { sums } = await drain(p, 0, 8);
    expect(sums).toEqual(reference.slice(0, 8));
    expect(p.crashes).toBe(1);
  });

  it('keeps at most num_workers × prefetch_factor batches in flight', async () => {
    let loaded = 0;
    const p = pool({ numWorkers: 2, prefetchFactor: 2, onLoad: () => loaded++ });
    await p.spawn();
    p.beginEpoch(0, 24);
    await until(() => loaded === 4);
    await new Promise((r) => setTimeout(r, 150));
    expect(loaded).toBe(4);
    await p.next();
    await until(() => loaded === 5);
  });

  it('stop() rejects a waiting consumer and terminates every thread', async () => {
    const p = pool({ crashOn: [0] });
    await p.spawn();
    expect(factory.live()).toBeGreaterThanOrEqual(3);
    p.beginEpoch(0, 24);
    const waiting = p.next();
    p.stop();
    await expect(waiting).rejects.toThrow(/stopped/);
    await until(() => factory.live() === 0);
    p.stop(); // twice is harmless
  });

  it('runLive: two epochs without persistent workers, a crash mid-run, exactly-once delivery', async () => {
    const r = await runLive(
      {
        numWorkers: 2,
        prefetchFactor: 2,
        batchSize: 8,
        features: 16,
        format: 'arrow',
        augment: 1,
        stepMs: 1,
        stepsPerEpoch: 10,
        epochs: 2,
        pinMemory: false,
        persistentWorkers: false,
      },
      { factory, crashOn: [7] },
    );
    expect(r.deliveredIds).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(r.crashes).toBe(1);
    expect(r.trace.spans.filter((s) => s.kind === 'startup').length).toBe(2 * 2 + 1);
    expect(r.stats.utilization).toBeGreaterThan(0);
    expect(r.stats.utilization).toBeLessThanOrEqual(1);
    await until(() => factory.live() === 0);
  });

  it('an aborted live run stops its workers and rejects with AbortError', async () => {
    const ctrl = new AbortController();
    const run = runLive(
      {
        numWorkers: 2,
        prefetchFactor: 2,
        batchSize: 8,
        features: 16,
        format: 'csv',
        augment: 1,
        stepMs: 5,
        stepsPerEpoch: 400,
        epochs: 1,
        pinMemory: true,
        persistentWorkers: true,
      },
      { factory, signal: ctrl.signal, onStep: (done) => done === 3 && ctrl.abort() },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await until(() => factory.live() === 0);
  });
});

describe('live run and simulator agree', () => {
  // The simulator is fed what the live run measured (per-sample cost, real step length, start-up,
  // load-time spread), so a busy machine slows both alike; utilization must then agree within 10%.
  // Loading (256 features × 256 transform passes) outweighs the 4 ms step, so the GPU does wait.
  for (const numWorkers of [0, 1]) {
    it(`with ${numWorkers} worker(s)`, async () => {
      const cfg: LoaderConfig = {
        numWorkers,
        prefetchFactor: numWorkers ? 2 : 0,
        batchSize: 32,
        features: 256,
        format: 'csv',
        augment: 256,
        stepMs: 4,
        stepsPerEpoch: 40,
        epochs: 1,
        pinMemory: false,
        persistentWorkers: true,
      };
      const live = await runLive(cfg, { factory });
      const m = live.measured;
      const sim = simulate(
        { ...cfg, stepMs: m.stepMs },
        {
          sampleMs: m.sampleMs,
          batchOverheadMs: 0,
          workerStartMs: m.workerStartMs,
          pinnedGBps: m.pinnedGBps,
          pageableGBps: m.pageableGBps,
        },
        { storage: 'memory', ranks: 1, jitter: m.loadCv, seed: 1 },
      );
      expect(live.stats.utilization).toBeGreaterThan(0.05);
      expect(Math.abs(live.stats.utilization - sim.stats.utilization)).toBeLessThan(0.1);
    });
  }
});

/** An in-process worker that keeps answering after it was replaced: the zombie case. */
function zombieFactory(): WorkerFactory & { crash(slot: number): void } {
  const crashers = new Map<number, (r: string) => void>();
  const make = (slot: number): WorkerHandle => {
    const { port1, port2 } = new MessageChannel();
    const api = createWorkerApi(Comlink.transfer);
    const slow = {
      ...api,
      load: async (req: Parameters<typeof api.load>[0]) => {
        await new Promise((r) => setTimeout(r, 30));
        return api.load(req);
      },
    };
    Comlink.expose(slow, port1 as unknown as Comlink.Endpoint);
    return {
      endpoint: port2 as unknown as Comlink.Endpoint,
      onCrash: (cb) => crashers.set(slot, cb),
      // Deliberately does not close the port: answers may still arrive after the "restart".
      terminate: () => {},
    };
  };
  return Object.assign(make, { crash: (slot: number) => crashers.get(slot)?.('declared dead') });
}

describe('exactly-once against late answers', () => {
  it('drops answers from a worker that was declared dead and replaced', async () => {
    const f = zombieFactory();
    const p = new WorkerPool({ factory: f, numWorkers: 2, prefetchFactor: 2, source: spec, batchSize: 8, augment: 2 });
    pools.push(p);
    await p.spawn();
    p.beginEpoch(0, 12);
    f.crash(0); // batches 0 and 2 are still loading in the old incarnation of worker 0
    const ids: number[] = [];
    const sums: number[] = [];
    for (let i = 0; i < 12; i++) {
      const b = await p.next();
      ids.push(b.id);
      sums.push(b.checksum);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(sums).toEqual(reference.slice(0, 12));
    expect(p.crashes).toBe(1);
    expect(p.reissued).toBe(2);
  });
});
