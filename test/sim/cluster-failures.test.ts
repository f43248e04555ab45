import { describe, expect, it } from 'vitest';
import {
  LLAMA3_RATE_PER_GPU_HOUR,
  dalyInterval,
  expectedGoodput,
  failureProblems,
  optimalInterval,
  simulateFailures,
  youngInterval,
  type FailureConfig,
} from '../../src/sim/cluster';

// Daly's model: transient failures only, synchronous checkpoints, failures strike at any moment.
const base: FailureConfig = {
  gpus: 16384,
  gpusPerNode: 8,
  failuresPerGpuHour: LLAMA3_RATE_PER_GPU_HOUR,
  hardwareFraction: 0,
  intervalH: 1,
  writeH: 0.1,
  async: false,
  snapshotH: 0,
  restartH: 0.25,
  policy: 'wait',
  spareNodes: 0,
  repairH: 24,
  minFraction: 0.5,
  horizonH: 100_000,
  seed: 7,
  injectAtH: null,
};
const sum = (r: ReturnType<typeof simulateFailures>) =>
  r.keptH + r.lostH + r.checkpointH + r.restartH + r.waitH + r.degradedH;

describe('failure rate preset', () => {
  it('is Llama 3’s 419 unexpected interruptions in 54 days on 16,384 GPUs: a job MTBF of ~3.1 h', () => {
    expect(LLAMA3_RATE_PER_GPU_HOUR).toBeCloseTo(419 / (54 * 24 * 16384), 15);
    expect(1 / (LLAMA3_RATE_PER_GPU_HOUR * 16384)).toBeCloseTo(3.093, 3);
    expect(simulateFailures({ ...base, intervalH: 1, horizonH: 54 * 24 }).failures).toBeGreaterThan(419 * 0.85);
  });
});

describe('checkpoint interval (Young 1974, Daly 2006)', () => {
  const M = 1 / (LLAMA3_RATE_PER_GPU_HOUR * 16384);
  it('the closed forms agree: Daly’s estimate is the exact optimum to 0.1 %, Young’s √(2CM) to first order', () => {
    expect(dalyInterval(0.1, M) / optimalInterval(0.1, 0.25, M)).toBeCloseTo(1, 3);
    expect(youngInterval(0.1, M) / optimalInterval(0.1, 0.25, M)).toBeGreaterThan(1);
    expect(youngInterval(0.1, M) / optimalInterval(0.1, 0.25, M)).toBeLessThan(1.15);
  });

  it('the DES goodput matches Daly’s expected goodput at every interval, and peaks at the Young/Daly interval', () => {
    const taus = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 2];
    const sim = taus.map((intervalH) => simulateFailures({ ...base, intervalH }).goodput);
    taus.forEach((tau, i) => expect(Math.abs(sim[i] - expectedGoodput(tau, 0.1, 0.25, M))).toBeLessThan(0.004));
    const best = taus[sim.indexOf(Math.max(...sim))];
    // The goodput curve is flat at its top (0.1 % across 0.7–0.8 h), so the sweep's best grid point
    // lies within one grid step of the closed-form optimum.
    expect(best).toBeGreaterThanOrEqual(0.6);
    expect(best).toBeLessThanOrEqual(0.9);
    expect(Math.abs(best - dalyInterval(0.1, M))).toBeLessThanOrEqual(0.1 + 1e-9);
  });
});

describe('the simulated job', () => {
  it('splits wall time exactly into kept, lost, checkpoint, restart, waiting and missing capacity', () => {
    for (const cfg of [
      base,
      { ...base, hardwareFraction: 0.78, policy: 'elastic' as const, horizonH: 3000 },
      { ...base, hardwareFraction: 0.78, policy: 'wait' as const, spareNodes: 2, repairH: 8, horizonH: 3000 },
      {
        ...base,
        async: true,
        snapshotH: 0.01,
        writeH: 0.3,
        intervalH: 0.5,
        horizonH: 3000,
        hardwareFraction: 0.5,
        policy: 'elastic' as const,
      },
    ]) {
      const r = simulateFailures(cfg);
      expect(sum(r)).toBeCloseTo(cfg.horizonH, 6);
      expect(r.goodput).toBeCloseTo(r.keptH / cfg.horizonH, 12);
    }
  });

  it('is deterministic for a seed', () => {
    const a = simulateFailures({ ...base, horizonH: 500, hardwareFraction: 0.5, policy: 'elastic' });
    const b = simulateFailures({ ...base, horizonH: 500, hardwareFraction: 0.5, policy: 'elastic' });
    expect(a).toEqual(b);
  });

  it('loses at most one interval plus one checkpoint of work per synchronous-checkpoint failure', () => {
    const r = simulateFailures({ ...base, horizonH: 2000 });
    const losses = r.events.filter((e) => e.kind === 'failure').map((e) => e.lostH!);
    expect(losses.length).toBeGreaterThan(100);
    expect(Math.max(...losses)).toBeLessThanOrEqual(base.intervalH + 1e-9);
  });

  it('crashes at an injected hour and rolls back to the last checkpoint', () => {
    const r = simulateFailures({
      ...base,
      gpus: 512,
      failuresPerGpuHour: 0,
      injectAtH: 40,
      intervalH: 3,
      horizonH: 100,
      repairH: 4,
      spareNodes: 1,
    });
    const crash = r.events.find((e) => e.kind === 'hardware-failure')!;
    expect(crash.t).toBe(40);
    // Checkpoints every 3 h of work plus 0.1 h each: the last durable one before hour 40 holds 36 h of work.
    expect(crash.lostH).toBeCloseTo(40 - 12 * 3.1, 6); // 2.8 h of work since the checkpoint that ended at 37.2 h
    expect(r.failures).toBe(1);
  });

  it('elastic training keeps going on fewer nodes where waiting for a repair stalls the job', () => {
    const cfg = {
      ...base,
      gpus: 4096,
      hardwareFraction: 0.78,
      repairH: 24,
      spareNodes: 0,
      intervalH: 1,
      horizonH: 2000,
    };
    const wait = simulateFailures({ ...cfg, policy: 'wait' });
    const elastic = simulateFailures({ ...cfg, policy: 'elastic' });
    expect(wait.waitH).toBeGreaterThan(0.3 * cfg.horizonH);
    expect(elastic.waitH).toBe(0);
    expect(elastic.goodput).toBeGreaterThan(wait.goodput + 0.3);
  });

  it('asynchronous checkpoints stall less than synchronous ones of the same write time', () => {
    const cfg = { ...base, writeH: 0.2, intervalH: 1, horizonH: 5000 };
    const sync = simulateFailures(cfg);
    const asyncR = simulateFailures({ ...cfg, async: true, snapshotH: 0.01 });
    expect(asyncR.checkpointH).toBeLessThan(0.2 * sync.checkpointH);
    expect(asyncR.goodput).toBeGreaterThan(sync.goodput);
  });

  it('names bad settings instead of running', () => {
    expect(failureProblems({ ...base, gpus: 100 })[0]).toMatch(/whole nodes/);
    expect(() => simulateFailures({ ...base, intervalH: 0 })).toThrow(/checkpoint interval/);
  });
});
