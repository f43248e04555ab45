import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ringBytesFormula, ringBytesSent } from '../../src/sim/cluster/allreduce';
import { DEFAULT_TRAIN, evalLoss, initState, paramCount, type TrainConfig } from '../../src/sim/cluster/training';
import { trainReference } from '../../src/sim/cluster/trainingRun';
import { memoryStore } from '../../src/workers/clusterCheckpoints';
import { ClusterJob, type ClusterJobOptions, type JobEvent } from '../../src/workers/clusterJob';
import { createRankApi, type PortLike } from '../../src/workers/clusterRank';
import { nodeWorkerFactory } from '../../src/workers/node/nodeFactory';

const cfg: TrainConfig = { ...DEFAULT_TRAIN, steps: 40, hidden: 32 };
const same = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

let factory: Awaited<ReturnType<typeof nodeWorkerFactory>>;
beforeAll(async () => {
  factory = await nodeWorkerFactory(undefined, 'src/workers/node/cluster.node-worker.ts');
});
const jobs: ClusterJob[] = [];
afterEach(() => {
  for (const j of jobs.splice(0)) j.stop();
});

function job(opts: Partial<ClusterJobOptions>, events: JobEvent[] = []): ClusterJob {
  const j = new ClusterJob({
    factory,
    cfg,
    ranks: 3,
    checkpointEvery: 10,
    store: memoryStore(),
    policy: 'replace',
    watchdogMs: 400,
    // Generous: on a loaded 2-core machine a live rank may take a while to answer.
    heartbeatMs: 1000,
    onEvent: (e) => events.push(e),
    ...opts,
  });
  jobs.push(j);
  return j;
}

/** Kills `rank` while step `step` is running: scheduled from the previous step's event. */
function killDuring(step: number, rank: number, events: JobEvent[], how: 'kill' | 'crash' = 'kill') {
  let fired = false;
  let target: ClusterJob | null = null;
  const onEvent = (e: JobEvent) => {
    events.push(e);
    if (!fired && e.kind === 'step' && e.record.step === step - 1) {
      fired = true;
      setTimeout(() => (how === 'kill' ? target!.kill(rank) : target!.crash(rank)), 0);
    }
  };
  return { onEvent, bind: (j: ClusterJob) => (target = j) };
}

describe('mini-cluster ranks over real MessageChannels (in-process)', () => {
  it('three ranks reproduce the pure trainer bit for bit', async () => {
    const world = 3;
    const state = initState(cfg);
    const chans = Array.from({ length: world }, () => new MessageChannel());
    const ranks = Array.from({ length: world }, (_, r) => {
      const api = createRankApi();
      api.init({
        rank: r,
        world,
        cfg,
        state: { ...state, params: state.params.slice(), m: state.m.slice(), v: state.v.slice() },
        send: chans[r].port1 as unknown as PortLike,
        recv: chans[(r + world - 1) % world].port2 as unknown as PortLike,
      });
      return api;
    });
    const ref = trainReference(cfg, { world, until: 8 });
    for (let s = 0; s < 8; s++) {
      const reps = await Promise.all(ranks.map((api) => api.step(s)));
      expect(reps.reduce((a, r) => a + r.lossSum, 0) / cfg.batch).toBe(ref.records[s].loss);
      expect(new Set(reps.map((r) => r.paramsHash)).size).toBe(1);
      reps.forEach((r) => expect(r.bytesSent).toBe(ringBytesSent(paramCount(cfg), world, r.rank)));
    }
    expect(same(ranks[1].state().params, ref.state.params)).toBe(true);
    await expect(ranks[0].step(3)).rejects.toThrow(/at step 8 but was asked for step 3/);
    chans.forEach((c) => (c.port1.close(), c.port2.close()));
  });
});

describe('mini-cluster job on worker_threads', () => {
  it('trains on N ranks exactly as the pure trainer, sending 2(N−1)/N of the gradient bytes per rank', async () => {
    const events: JobEvent[] = [];
    const store = memoryStore();
    const r = await job({ ranks: 4, store }, events).run();
    const ref = trainReference(cfg, { world: 4, keepBatches: true });
    expect(r.records.map((x) => x.loss)).toEqual(ref.records.map((x) => x.loss));
    expect(same(r.state.params, ref.state.params)).toBe(true);
    expect(r.finalLoss).toBe(evalLoss(cfg, ref.state.params));
    expect(r.batches.map((b) => Array.from(b))).toEqual(ref.batches!.map((b) => Array.from(b)));
    const P = paramCount(cfg); // 32·2 + 32 + 3·32 + 3 = 195 floats: not a multiple of 4, chunks differ by one
    expect(r.gradientBytes).toBe(P * 4);
    r.bytesPerRank.forEach((b, rank) => expect(b).toBe(ringBytesSent(P, 4, rank)));
    expect(r.bytesPerRank.reduce((a, b) => a + b, 0)).toBe(2 * 3 * P * 4); // all ranks together: exactly 2(N−1)·gradient bytes
    for (const b of r.bytesPerRank) expect(Math.abs(b - ringBytesFormula(P * 4, 4))).toBeLessThanOrEqual(8);
    // The 1-rank curve matches within float tolerance (summation order differs).
    const one = trainReference(cfg, { world: 1 });
    r.records.forEach((x, i) => expect(Math.abs(x.loss - one.records[i].loss)).toBeLessThan(1e-5));
    expect(r.checkpoints).toBe(3);
    expect(store.saves).toBe(3);
    expect(factory.live()).toBe(0);
  });

  it('a rank killed mid-step is detected by the watchdog; the replacement run resumes from the checkpoint and ends bit-identical', async () => {
    const events: JobEvent[] = [];
    const k = killDuring(24, 1, events);
    const j = job({ onEvent: k.onEvent });
    k.bind(j);
    const r = await j.run();
    const kill = events.find((e) => e.kind === 'kill');
    expect(kill).toMatchObject({ rank: 1, how: 'terminate' });
    // Scheduled for step 24; on a loaded machine the timer may fire a step or two later.
    const killStep = kill!.kind === 'kill' ? kill!.step : -1;
    expect(killStep).toBeGreaterThanOrEqual(24);
    expect(r.failures).toHaveLength(1);
    const f = r.failures[0];
    expect(f).toMatchObject({ ranks: [1], detectedBy: 'watchdog + heartbeat', worldBefore: 3, worldAfter: 3 });
    // A worker can finish sending a step's messages before terminate() takes effect; then the
    // survivors hang in the next step instead. Either way every step completed since the last
    // checkpoint (every 10) is lost.
    expect([killStep, killStep + 1]).toContain(f.step);
    expect(f.resumedFrom).toBe(Math.floor(f.step / 10) * 10);
    expect(f.lostSteps).toBe(f.step - f.resumedFrom);
    expect(f.detectMs).toBeGreaterThanOrEqual(300);
    expect(r.lostSteps).toBe(f.lostSteps);
    expect(r.computedSteps).toBe(cfg.steps + f.lostSteps);
    expect(r.records).toHaveLength(cfg.steps);
    const ref = trainReference(cfg, { world: 3, keepBatches: true });
    expect(r.records.map((x) => x.step)).toEqual(ref.records.map((x) => x.step));
    expect(r.records.map((x) => x.loss)).toEqual(ref.records.map((x) => x.loss));
    expect(r.batches.map((b) => Array.from(b))).toEqual(ref.batches!.map((b) => Array.from(b)));
    expect(r.finalLoss).toBe(evalLoss(cfg, ref.state.params));
    // Every step's event is counted once in the final record, though steps 20–23 ran twice.
    expect(events.filter((e) => e.kind === 'step').length).toBe(cfg.steps + f.lostSteps);
    expect(events.find((e) => e.kind === 'restart')).toMatchObject({ fromStep: f.resumedFrom, world: 3 });
  });

  it('elastic: continues on N−1 ranks from the checkpoint with the same global batches and the same final loss within 1e-5', async () => {
    const events: JobEvent[] = [];
    const k = killDuring(17, 2, events);
    const j = job({ policy: 'elastic', onEvent: k.onEvent });
    k.bind(j);
    const r = await j.run();
    const f = r.failures[0];
    expect(f).toMatchObject({ ranks: [2], worldBefore: 3, worldAfter: 2 });
    expect(f.resumedFrom).toBe(Math.floor(f.step / 10) * 10);
    expect(f.lostSteps).toBe(f.step - f.resumedFrom);
    expect(r.world).toBe(2);
    const uninterrupted = trainReference(cfg, { world: 3, keepBatches: true });
    expect(r.batches.map((b) => Array.from(b))).toEqual(uninterrupted.batches!.map((b) => Array.from(b)));
    expect(Math.abs(r.finalLoss - evalLoss(cfg, uninterrupted.state.params))).toBeLessThan(1e-5);
    // Exactly what the pure trainer computes for 3 ranks until step 10, then 2.
    const sched = trainReference(cfg, { world: (s) => (s < f.resumedFrom ? 3 : 2) });
    expect(r.records.map((x) => x.loss)).toEqual(sched.records.map((x) => x.loss));
    expect(r.records.map((x) => x.world)).toEqual(sched.records.map((x) => x.world));
    expect(r.bytesPerRank).toHaveLength(2);
  });

  it('a crashing rank (uncaught error) is reported by its error event, without waiting for the watchdog', async () => {
    const events: JobEvent[] = [];
    const k = killDuring(12, 0, events, 'crash');
    const j = job({ watchdogMs: 30_000, onEvent: k.onEvent });
    k.bind(j);
    const r = await j.run();
    expect(r.failures[0]).toMatchObject({ ranks: [0], detectedBy: 'crash event', worldAfter: 3 });
    expect(r.failures[0].resumedFrom).toBe(Math.floor(r.failures[0].step / 10) * 10);
    expect(r.failures[0].reason).toMatch(/rank 0 crashed: .*crashed \(injected\)/);
    expect(r.finalLoss).toBe(evalLoss(cfg, trainReference(cfg, { world: 3 }).state.params));
  });

  it('a full storage quota: every checkpoint fails with a clear message, training goes on, a failure restarts from step 0', async () => {
    const events: JobEvent[] = [];
    const k = killDuring(15, 1, events);
    const j = job({ store: memoryStore({ quotaBytes: 100 }), onEvent: k.onEvent });
    k.bind(j);
    const r = await j.run();
    const failed = events.filter((e) => e.kind === 'checkpoint-failed');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed[0].kind === 'checkpoint-failed' && failed[0].message).toMatch(
      /Checkpoint not saved: memory \(test store\) is full .*QuotaExceededError.*Training goes on/,
    );
    expect(r.checkpoints).toBe(0);
    expect(r.failures[0]).toMatchObject({ resumedFrom: 0, lostSteps: r.failures[0].step });
    expect(r.failures[0].step).toBeGreaterThanOrEqual(15);
    expect(r.finalLoss).toBe(evalLoss(cfg, trainReference(cfg, { world: 3 }).state.params));
  });

  it('storage that refuses everything (no IndexedDB): messages say so, training still finishes, a failure restarts from 0', async () => {
    const events: JobEvent[] = [];
    const broken = {
      where: 'nowhere',
      save: async () => {
        throw new Error('This browser has no IndexedDB (private mode?); checkpoints cannot be stored.');
      },
      load: async () => {
        throw new Error('no IndexedDB');
      },
      clear: async () => {
        throw new Error('no IndexedDB');
      },
    };
    const k = killDuring(12, 0, events);
    const j = job({ store: broken, onEvent: k.onEvent });
    k.bind(j);
    const r = await j.run();
    const msgs = events.flatMap((e) => (e.kind === 'checkpoint-failed' ? [e.message] : []));
    expect(msgs[0]).toMatch(/Checkpoint storage is not usable \(no IndexedDB\); training runs/);
    expect(msgs.some((m) => /could not be read back \(no IndexedDB\); restarting from step 0/.test(m))).toBe(true);
    expect(r.failures[0].resumedFrom).toBe(0);
    expect(r.records).toHaveLength(cfg.steps);
    expect(r.finalLoss).toBe(evalLoss(cfg, trainReference(cfg, { world: 3 }).state.params));
  });

  it('stop() ends the run with an AbortError and leaves no worker running; bad settings are refused by name', async () => {
    const events: JobEvent[] = [];
    const j = job({ paceMs: 5 }, events);
    const p = j.run();
    setTimeout(() => j.stop(), 100);
    await expect(p).rejects.toThrow(/stopped/);
    await new Promise((r) => setTimeout(r, 50));
    expect(factory.live()).toBe(0);
    expect(() => job({ ranks: 0 })).toThrow(/ranks must be a whole number from 1 to 16, got 0/);
    expect(() => job({ ranks: 8, cfg: { ...cfg, batch: 4 } })).toThrow(/8 ranks cannot share a global batch of 4/);
  });
});
