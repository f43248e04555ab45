import { describe, expect, it } from 'vitest';
import {
  chunkBounds,
  memoryRing,
  ringAllReduce,
  ringAllReduceSync,
  ringBytesFormula,
  ringBytesSent,
  ringSchedule,
} from '../../src/sim/cluster/allreduce';
import {
  DEFAULT_TRAIN,
  accuracy,
  applyUpdate,
  checkTrainConfig,
  epochPermutation,
  evalLoss,
  globalBatch,
  initState,
  localGradient,
  paramCount,
  rankBatch,
  shardRange,
  type TrainConfig,
} from '../../src/sim/cluster/training';
import { referenceStep, trainReference } from '../../src/sim/cluster/trainingRun';
import { seededFloats } from '../../src/kernels/random';

const cfg: TrainConfig = { ...DEFAULT_TRAIN, steps: 60 };

describe('data order is defined by the global batch index', () => {
  it('each epoch is a permutation, and batches tile the stream across epoch boundaries', () => {
    const p = epochPermutation(cfg.seed, cfg.samples, 3);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: cfg.samples }, (_, i) => i));
    expect(Array.from(epochPermutation(cfg.seed, cfg.samples, 4))).not.toEqual(Array.from(p));
    // 600 samples / 48 per batch: batch 12 straddles epochs 0 and 1 (positions 576..623).
    const b12 = globalBatch(cfg, 12);
    expect(Array.from(b12.slice(0, 24))).toEqual(Array.from(epochPermutation(cfg.seed, cfg.samples, 0).slice(576)));
    expect(Array.from(b12.slice(24))).toEqual(Array.from(epochPermutation(cfg.seed, cfg.samples, 1).slice(0, 24)));
  });

  it('the ranks’ shards of a step concatenate to the same global batch for any world size', () => {
    for (const world of [1, 2, 3, 4, 5, 7, 8]) {
      const joined = Array.from({ length: world }, (_, r) => Array.from(rankBatch(cfg, 5, world, r))).flat();
      expect(joined).toEqual(Array.from(globalBatch(cfg, 5)));
      const sizes = Array.from({ length: world }, (_, r) => shardRange(cfg.batch, world, r)).map(([a, b]) => b - a);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('rejects configurations it cannot train, naming the value', () => {
    expect(() => checkTrainConfig({ ...cfg, hidden: 0 })).toThrow(/hidden must be between 2 and 1024, got 0/);
    expect(() => checkTrainConfig({ ...cfg, lr: Number.NaN })).toThrow(/lr/);
    expect(() => checkTrainConfig({ ...cfg, batch: 2.5 })).toThrow(/whole number/);
  });
});

describe('MLP gradient', () => {
  it('matches central finite differences', () => {
    const c = { ...cfg, hidden: 6 };
    const s = initState(c);
    const ids = globalBatch(c, 0).slice(0, 8);
    const { grad, lossSum } = localGradient(c, s.params, ids);
    expect(lossSum).toBeGreaterThan(0);
    const p64 = Float32Array.from(s.params);
    for (const i of [0, 3, 7, 12, 14, paramCount(c) - 1]) {
      const h = 1e-2;
      const plus = p64.slice();
      plus[i] += h;
      const minus = p64.slice();
      minus[i] -= h;
      const fd = (localGradient(c, plus, ids).lossSum - localGradient(c, minus, ids).lossSum) / (plus[i] - minus[i]);
      expect(grad[i]).toBeCloseTo(fd, 3);
    }
  });

  it('trains: Adam on the 3-arm spiral reaches high accuracy', () => {
    const r = trainReference({ ...DEFAULT_TRAIN });
    const first = r.records[0].loss;
    const last = r.records.at(-1)!.loss;
    expect(first).toBeGreaterThan(0.9);
    expect(last).toBeLessThan(first / 2);
    expect(accuracy(DEFAULT_TRAIN, r.state.params)).toBeGreaterThan(0.85);
    const sgd = trainReference({ ...DEFAULT_TRAIN, optimizer: 'sgd', lr: 0.1, steps: 120 });
    expect(sgd.records.at(-1)!.loss).toBeLessThan(sgd.records[0].loss);
  });
});

describe('ring all-reduce', () => {
  it('schedule: every rank sends every chunk but one per phase, and ends holding the full sum', () => {
    for (const world of [2, 3, 5]) {
      for (let r = 0; r < world; r++) {
        const rs = Array.from({ length: world - 1 }, (_, s) => ringSchedule(world, r, 'reduce-scatter', s).send);
        expect(new Set(rs).size).toBe(world - 1);
        // What r receives at step s is what r−1 sends at step s.
        for (let s = 0; s < world - 1; s++)
          expect(ringSchedule(world, r, 'all-gather', s).recv).toBe(
            ringSchedule(world, (r + world - 1) % world, 'all-gather', s).send,
          );
      }
    }
  });

  it('async ring over in-memory links equals the sync emulation bit for bit, and sends 2(N−1)/N of the bytes', async () => {
    for (const [world, len] of [
      [1, 10],
      [2, 1000],
      [4, 1000],
      [3, 1001],
      [8, 4096],
    ]) {
      const bufs = Array.from({ length: world }, (_, r) => seededFloats(len, 11 + r, -1e3, 1e3));
      const want = ringAllReduceSync(bufs);
      const links = memoryRing(world);
      const copies = bufs.map((b) => b.slice());
      const stats = await Promise.all(copies.map((b, r) => ringAllReduce(b, world, r, links[r], 3)));
      for (const b of copies) expect(Buffer.from(b.buffer).equals(Buffer.from(want.buffer))).toBe(true);
      for (let r = 0; r < world; r++) {
        expect(stats[r].bytesSent).toBe(ringBytesSent(len, world, r));
        expect(stats[r].messages).toBe(2 * (world - 1));
        if (len % world === 0) expect(stats[r].bytesSent).toBe(ringBytesFormula(len * 4, world));
        else expect(Math.abs(stats[r].bytesSent - ringBytesFormula(len * 4, world))).toBeLessThanOrEqual(8);
      }
      // Close to the float64 sum: one rounding per add.
      for (let i = 0; i < len; i += 97) {
        const exact = bufs.reduce((a, b) => a + b[i], 0);
        expect(Math.abs(want[i] - exact)).toBeLessThanOrEqual(world * 1e-4 * Math.max(1, Math.abs(exact)));
      }
    }
    expect(chunkBounds(10, 4)).toEqual([0, 2, 5, 7, 10]);
  });
});

describe('data-parallel training equals one rank', () => {
  it('N ranks give the same loss curve as one rank within 1e-5 (float summation order differs)', () => {
    const one = trainReference(cfg, { world: 1 });
    for (const world of [2, 3, 4, 8]) {
      const n = trainReference(cfg, { world });
      for (let i = 0; i < cfg.steps; i++) expect(Math.abs(n.records[i].loss - one.records[i].loss)).toBeLessThan(1e-5);
      expect(Math.abs(evalLoss(cfg, n.state.params) - evalLoss(cfg, one.state.params))).toBeLessThan(1e-5);
    }
  });

  it('resuming from a state restored mid-run reproduces the uninterrupted run exactly (same world)', () => {
    const full = trainReference(cfg, { world: 4 });
    const half = trainReference(cfg, { world: 4, until: 25 });
    const rest = trainReference(cfg, { world: 4, from: half.state });
    expect(rest.records.map((r) => r.loss)).toEqual(full.records.slice(25).map((r) => r.loss));
    expect(Buffer.from(rest.state.params.buffer).equals(Buffer.from(full.state.params.buffer))).toBe(true);
  });

  it('an elastic change of world size keeps the global batches and the loss within tolerance', () => {
    const full = trainReference(cfg, { world: 4, keepBatches: true });
    const elastic = trainReference(cfg, { world: (s) => (s < 30 ? 4 : 3), keepBatches: true });
    expect(elastic.batches!.map((b) => Array.from(b))).toEqual(full.batches!.map((b) => Array.from(b)));
    expect(Math.abs(evalLoss(cfg, elastic.state.params) - evalLoss(cfg, full.state.params))).toBeLessThan(1e-5);
  });

  it('the optimizer state matters: resuming with fresh Adam moments changes the result', () => {
    const half = trainReference(cfg, { until: 25 });
    const fresh = { ...half.state, m: new Float32Array(half.state.m.length), v: new Float32Array(half.state.v.length) };
    const wrong = trainReference(cfg, { from: fresh });
    const right = trainReference(cfg, { from: half.state });
    expect(evalLoss(cfg, wrong.state.params)).not.toBe(evalLoss(cfg, right.state.params));
    // and referenceStep advances exactly one step
    const s = initState(cfg);
    referenceStep(cfg, s, 2);
    expect(s.step).toBe(1);
    applyUpdate(cfg, s, new Float32Array(s.params.length));
    expect(s.step).toBe(2);
  });
});
