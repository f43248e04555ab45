import { DEFAULT_COSTS, DEFAULT_ENV, STORAGE, copyMs, cpuMs, transferMs } from './model';
import { mulberry32 } from '../../kernels/random';
import { lognormalFactor } from './rng';
import type { LoaderConfig, LoaderCosts, LoaderStats, QueueSample, SimEnvironment, Trace, TraceSpan } from './types';
import { checkConfig, checkCosts, checkEnv } from './validate';

export interface SimResult {
  trace: Trace;
  stats: LoaderStats;
}

export interface SimOptions {
  /** Record spans for the first this many batches only: long runs keep their statistics, not every span. */
  traceBatches?: number;
}

export function laneNames(numWorkers: number): string[] {
  return numWorkers === 0 ? ['main thread'] : Array.from({ length: numWorkers }, (_, i) => `worker ${i}`);
}

/** Builds the queue-depth curve from (time, +1 ready / -1 consumed) events. */
export function queueCurve(events: { t: number; d: number }[]): QueueSample[] {
  events.sort((a, b) => a.t - b.t || b.d - a.d);
  const out: QueueSample[] = [{ t: 0, depth: 0 }];
  let depth = 0;
  for (const e of events) {
    depth += e.d;
    const last = out[out.length - 1];
    if (last.t === e.t) last.depth = depth;
    else out.push({ t: e.t, depth });
  }
  return out;
}

/**
 * Discrete-event simulation of one data-parallel rank's DataLoader feeding its GPU. Events are
 * resolved in the order they causally depend on each other, which this pipeline fixes in advance:
 * batch i goes to worker i mod n (PyTorch's round-robin), a worker serves its batches in order, the
 * consumer takes them in order, and batch i + n·prefetch is issued the moment batch i is taken. So
 * each event time is a max() of earlier ones, and 100,000 steps take one pass with no event heap.
 * The storage channel is FIFO in batch order; a fresh epoch without persistent workers pays the
 * worker start-up again, and every epoch refills the prefetch pipeline from empty.
 */
export function simulate(
  cfg: LoaderConfig,
  costs: LoaderCosts = DEFAULT_COSTS,
  env: SimEnvironment = DEFAULT_ENV,
  opts: SimOptions = {},
): SimResult {
  checkConfig(cfg);
  checkCosts(costs);
  checkEnv(env);
  const n = cfg.numWorkers;
  const inFlight = n * cfg.prefetchFactor;
  const steps = cfg.stepsPerEpoch;
  const total = steps * cfg.epochs;
  const traceLimit = Math.max(0, Math.floor(opts.traceBatches ?? 400));
  const rand = mulberry32(env.seed);
  const jitter = lognormalFactor(rand, env.jitter);
  const storage = STORAGE[env.storage];
  const xfer = transferMs(cfg, env);
  const usesStorage = storage.latencyMs > 0 || xfer > 0;
  const cpu = cpuMs(cfg, costs);
  const copy = copyMs(cfg, costs);

  const consumed = new Float64Array(steps);
  const workerFree = new Float64Array(Math.max(1, n));
  const spans: TraceSpan[] = [];
  const qEvents: { t: number; d: number }[] = [];
  let gpuFree = 0;
  let chanFree = 0;
  let loadSum = 0;
  let busySum = 0;
  let waitSum = 0;
  let startupSum = 0;
  let traceEnd = 0;

  for (let e = 0; e < cfg.epochs; e++) {
    const recEpoch = e * steps < traceLimit;
    if (n === 0 && e === 0 && costs.workerStartMs > 0) {
      // The main process opens the source once and keeps it: the start-up is paid in the first epoch only.
      startupSum += costs.workerStartMs;
      if (recEpoch) spans.push({ lane: 0, kind: 'startup', t0: 0, t1: costs.workerStartMs, batch: -1 });
      if (recEpoch) spans.push({ lane: -1, kind: 'wait', t0: 0, t1: costs.workerStartMs, batch: -1 });
      waitSum += costs.workerStartMs;
      gpuFree = costs.workerStartMs;
    }
    const epochStart = gpuFree;
    if (n > 0 && (e === 0 || !cfg.persistentWorkers)) {
      startupSum += costs.workerStartMs;
      for (let w = 0; w < n; w++) {
        workerFree[w] = epochStart + costs.workerStartMs;
        if (recEpoch && costs.workerStartMs > 0)
          spans.push({ lane: w, kind: 'startup', t0: epochStart, t1: workerFree[w], batch: -1 });
      }
    }
    for (let i = 0; i < steps; i++) {
      const g = e * steps + i;
      const rec = g < traceLimit;
      const w = n > 0 ? i % n : 0;
      const start = n === 0 ? gpuFree : Math.max(i < inFlight ? epochStart : consumed[i - inFlight], workerFree[w]);
      let t = start;
      if (usesStorage) {
        // The link is busy only while bytes flow; a slow tail (retry, cold object) delays this batch alone.
        const tail = storage.tailProb > 0 && rand() < storage.tailProb ? storage.tailMs : 0;
        chanFree = Math.max(t + storage.latencyMs, chanFree) + xfer;
        t = chanFree + tail;
        if (rec) spans.push({ lane: w, kind: 'read', t0: start, t1: t, batch: g });
      }
      const ready = t + cpu * jitter();
      if (rec) spans.push({ lane: w, kind: 'load', t0: t, t1: ready, batch: g });
      loadSum += ready - start;
      if (n > 0) {
        workerFree[w] = ready;
        busySum += ready - start;
      }
      const take = Math.max(ready, gpuFree);
      if (ready > gpuFree) {
        waitSum += ready - gpuFree;
        if (rec) spans.push({ lane: -1, kind: 'wait', t0: gpuFree, t1: ready, batch: g });
      }
      consumed[i] = take;
      const copyEnd = take + copy;
      const stepEnd = copyEnd + cfg.stepMs;
      if (rec) {
        if (copy > 0) spans.push({ lane: -1, kind: 'copy', t0: take, t1: copyEnd, batch: g });
        if (cfg.stepMs > 0) spans.push({ lane: -1, kind: 'step', t0: copyEnd, t1: stepEnd, batch: g });
        qEvents.push({ t: ready, d: 1 }, { t: take, d: -1 });
        traceEnd = stepEnd;
      }
      gpuFree = stepEnd;
    }
  }

  const wall = gpuFree;
  const queue = queueCurve(qEvents);
  const stepTotal = total * cfg.stepMs;
  return {
    trace: { lanes: laneNames(n), spans, queue, endMs: traceEnd, truncated: total > traceLimit },
    stats: {
      wallMs: wall,
      utilization: wall > 0 ? stepTotal / wall : 0,
      samplesPerS: wall > 0 ? (total * cfg.batchSize * 1000) / wall : 0,
      batches: total,
      waitMs: waitSum,
      stepMs: stepTotal,
      copyMs: total * copy,
      workerBusy: n > 0 && wall > 0 ? busySum / (n * wall) : 0,
      meanLoadMs: loadSum / total,
      startupMs: startupSum,
      maxQueue: queue.reduce((m, q) => Math.max(m, q.depth), 0),
    },
  };
}
