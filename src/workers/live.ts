import { laneNames, queueCurve } from '../sim/dataloader/simulate';
import { batchBytes } from '../sim/dataloader/model';
import type { LoaderConfig, LoaderCosts, LoaderStats, Trace, TraceSpan } from '../sim/dataloader/types';
import { checkConfig } from '../sim/dataloader/validate';
import { checksum, loadBatch } from './pipeline/decode';
import { now, type LoadedBatch } from './pipeline/protocol';
import { openSource, writeSourceFile, type Source, type SourceFile, type SourceSpec } from './pipeline/source';
import { WorkerPool, type WorkerFactory } from './pool';

/** Host-to-device copy: a real queue.writeBuffer where WebGPU is present, else host memcpys. */
export type CopyFn = (data: Float32Array, pinned: boolean) => void;

export interface LiveOptions {
  factory: WorkerFactory;
  signal?: AbortSignal;
  seed?: number;
  copy?: CopyFn;
  /** Called on every span and queue change; the view batches these into animation frames. */
  onSpan?(s: TraceSpan): void;
  onQueue?(depth: number, t: number): void;
  onStep?(done: number, total: number, stats: { utilization: number; samplesPerS: number }): void;
  onCrash?(slot: number, reissued: number[]): void;
  /** Receives the pool once it exists, so a UI can inject a crash. */
  onPool?(pool: WorkerPool | null): void;
  crashOn?: number[];
  /** Distinct samples in the source (batches cycle through it); default one epoch's worth. */
  sourceSamples?: number;
  /** Record spans of the first this many batches (statistics cover all). */
  traceBatches?: number;
  /** A source file already written for this spec (the lab reuses one across runs); else written here. */
  file?: SourceFile;
}

const sameSpec = (a: SourceSpec, b: SourceSpec) =>
  a.format === b.format &&
  a.samples === b.samples &&
  a.features === b.features &&
  a.seed === b.seed &&
  a.groupRows === b.groupRows;

export interface LiveResult {
  trace: Trace;
  stats: LoaderStats;
  /** Costs measured in this run, ready to feed the simulator. */
  measured: LoaderCosts & { stepMs: number; loadCv: number; copyMs: number };
  crashes: number;
  reissued: number;
  /** Batches the consumer got, by id, exactly once each (the checksum of each is in `checksums`). */
  deliveredIds: number[];
  checksums: number[];
}

function abortError(): DOMException {
  return new DOMException('Cancelled', 'AbortError');
}

/** A timer the abort signal clears, so a stopped run leaves none behind. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(abortError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function defaultCopy(): CopyFn {
  let staging = new Float32Array(0);
  let device = new Float32Array(0);
  return (data, pinned) => {
    if (device.length < data.length) {
      device = new Float32Array(data.length);
      staging = new Float32Array(data.length);
    }
    // Pageable memory is first copied into a pinned bounce buffer, then DMA'd: two copies instead of one.
    if (pinned) device.set(data);
    else {
      staging.set(data);
      device.set(staging.subarray(0, data.length));
    }
  };
}

/**
 * Runs the real pipeline: workers (or the main thread) read batches from a dataset file (CSV,
 * Parquet or Arrow bytes, written once) while the consumer copies each batch and "trains" for stepMs. Produces the same trace and
 * statistics as the simulator, plus the costs it measured.
 */
export async function runLive(cfg: LoaderConfig, opts: LiveOptions): Promise<LiveResult> {
  checkConfig(cfg, { maxWorkers: 64 });
  const signal = opts.signal;
  const seed = opts.seed ?? 1;
  const n = cfg.numWorkers;
  const steps = cfg.stepsPerEpoch;
  const total = steps * cfg.epochs;
  const traceLimit = opts.traceBatches ?? 400;
  const spec = {
    format: cfg.format,
    samples: Math.max(1, Math.min(steps * cfg.batchSize, opts.sourceSamples ?? Infinity)),
    features: cfg.features,
    seed,
  };
  // A file given by the caller is handed to every worker (a copy each). Otherwise each worker
  // writes its own copy from the seed during start-up, in parallel and off this thread, so the
  // page stays responsive (cloning megabytes to 8 workers would stall it); the consumer thread
  // writes one only when it loads batches itself (num_workers 0).
  const given = opts.file && sameSpec(opts.file.spec, spec) ? opts.file : null;
  const copy = opts.copy ?? defaultCopy();
  const origin = now();
  const rel = (t: number) => t - origin;
  const spans: TraceSpan[] = [];
  const qEvents: { t: number; d: number }[] = [];
  const span = (s: TraceSpan) => {
    if (s.batch < traceLimit) spans.push(s);
    opts.onSpan?.(s);
  };
  const loads: number[] = [];
  const startups: number[] = [];
  const epochStartups: number[] = [];
  const copies: number[] = [];
  const stepsTaken: number[] = [];
  let waitSum = 0;
  let busySum = 0;
  let maxQueue = 0;
  const deliveredIds: number[] = [];
  const checksums: number[] = [];

  const pool =
    n > 0
      ? new WorkerPool({
          factory: opts.factory,
          numWorkers: n,
          prefetchFactor: cfg.prefetchFactor,
          source: given ?? spec,
          batchSize: cfg.batchSize,
          augment: cfg.augment,
          crashOn: opts.crashOn,
          onStartup: (slot, t0, t1) => {
            startups.push(t1 - t0);
            span({ lane: slot, kind: 'startup', t0: rel(t0), t1: rel(t1), batch: -1 });
          },
          onLoad: (slot, b) => {
            loads.push(b.t1 - b.t0);
            busySum += b.t1 - b.t0;
            span({ lane: slot, kind: 'load', t0: rel(b.t0), t1: rel(b.t1), batch: b.id });
            if (b.id < traceLimit) qEvents.push({ t: rel(now()), d: 1 });
          },
          onQueue: (depth, t) => {
            maxQueue = Math.max(maxQueue, depth);
            opts.onQueue?.(depth, rel(t));
          },
          onCrash: (slot, _reason, reissued) => opts.onCrash?.(slot, reissued),
        })
      : null;
  opts.onPool?.(pool);
  const onAbort = () => pool?.stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  // Main-thread loading (num_workers 0) opens the source here, as PyTorch's main process does.
  let local: Source | null = null;
  if (n === 0) {
    const t0 = now();
    local = openSource(given ?? writeSourceFile(spec));
    startups.push(now() - t0);
    span({ lane: 0, kind: 'startup', t0: rel(t0), t1: rel(now()), batch: -1 });
  }

  let gpuFree = 0;
  let done = 0;
  if (n === 0) {
    gpuFree = rel(now());
    waitSum += gpuFree;
    span({ lane: -1, kind: 'wait', t0: 0, t1: gpuFree, batch: -1 });
  }
  try {
    for (let e = 0; e < cfg.epochs; e++) {
      if (signal?.aborted) throw abortError();
      if (pool && (e === 0 || !cfg.persistentWorkers)) {
        // Start-up as the consumer sees it: until the slowest worker is ready (batches go round-robin).
        const t0 = now();
        await pool.spawn();
        epochStartups.push(now() - t0);
      }
      pool?.beginEpoch(e * steps, steps);
      for (let i = 0; i < steps; i++) {
        const id = e * steps + i;
        let b: LoadedBatch;
        if (local) {
          const t0 = now();
          const data = await loadBatch(local, i, cfg.batchSize, cfg.augment);
          b = { id, data, checksum: checksum(data), t0, t1: now() };
          loads.push(b.t1 - b.t0);
          span({ lane: 0, kind: 'load', t0: rel(b.t0), t1: rel(b.t1), batch: id });
        } else {
          b = await pool!.next();
          if (b.id < traceLimit) qEvents.push({ t: rel(now()), d: -1 });
        }
        if (signal?.aborted) throw abortError();
        const take = rel(now());
        if (take - gpuFree > 0.01) {
          waitSum += take - gpuFree;
          span({ lane: -1, kind: 'wait', t0: gpuFree, t1: take, batch: id });
        }
        deliveredIds.push(b.id);
        checksums.push(b.checksum);
        copy(b.data, cfg.pinMemory);
        const copied = rel(now());
        copies.push(copied - take);
        span({ lane: -1, kind: 'copy', t0: take, t1: copied, batch: id });
        if (cfg.stepMs > 0) await sleep(cfg.stepMs, signal);
        else if (i % 8 === 7) await sleep(0, signal); // let the page breathe when steps cost nothing
        const stepEnd = rel(now());
        if (cfg.stepMs > 0) {
          stepsTaken.push(stepEnd - copied);
          span({ lane: -1, kind: 'step', t0: copied, t1: stepEnd, batch: id });
        }
        gpuFree = stepEnd;
        done++;
        const stepSum = stepsTaken.reduce((a, x) => a + x, 0);
        opts.onStep?.(done, total, {
          utilization: stepSum / gpuFree,
          samplesPerS: (done * cfg.batchSize * 1000) / gpuFree,
        });
      }
      if (pool && !cfg.persistentWorkers && e < cfg.epochs - 1) pool.shutdownWorkers();
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    pool?.stop();
    opts.onPool?.(null);
  }

  const wall = gpuFree;
  const stepSum = stepsTaken.reduce((a, x) => a + x, 0);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : 0);
  const meanLoad = mean(loads);
  const sd = Math.sqrt(mean(loads.map((x) => (x - meanLoad) ** 2)));
  const meanCopy = mean(copies);
  const gbps = meanCopy > 0 ? batchBytes(cfg) / (meanCopy * 1e6) : 1e3;
  const queue = queueCurve(qEvents);
  return {
    trace: { lanes: laneNames(n), spans, queue, endMs: wall, truncated: total > traceLimit },
    stats: {
      wallMs: wall,
      utilization: wall > 0 ? stepSum / wall : 0,
      samplesPerS: wall > 0 ? (total * cfg.batchSize * 1000) / wall : 0,
      batches: total,
      waitMs: waitSum,
      stepMs: stepSum,
      copyMs: copies.reduce((a, x) => a + x, 0),
      workerBusy: n > 0 && wall > 0 ? busySum / (n * wall) : 0,
      meanLoadMs: meanLoad,
      startupMs: n > 0 ? epochStartups.reduce((a, x) => a + x, 0) : startups.reduce((a, x) => a + x, 0),
      maxQueue,
    },
    measured: {
      sampleMs: meanLoad / cfg.batchSize,
      batchOverheadMs: 0,
      workerStartMs: n > 0 ? mean(epochStartups) : mean(startups),
      pinnedGBps: gbps,
      pageableGBps: gbps,
      stepMs: mean(stepsTaken),
      loadCv: meanLoad > 0 ? sd / meanLoad : 0,
      copyMs: meanCopy,
    },
    crashes: pool?.crashes ?? 0,
    reissued: pool?.reissued ?? 0,
    deliveredIds,
    checksums,
  };
}
