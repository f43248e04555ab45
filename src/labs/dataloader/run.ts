import {
  DEFAULT_COSTS,
  HOST_RAM_GIB,
  diagnose,
  memoryProblem,
  simulate,
  steadyState,
  storageBytesPerSample,
  sweep,
  sweepAxes,
  type Diagnosis,
  type LoaderConfig,
  type LoaderCosts,
  type LoaderStats,
  type SimEnvironment,
  SOURCE_FORMATS,
  type SourceFormat,
  type SteadyState,
  type Sweep,
  type Trace,
} from '../../sim/dataloader';
import { LoaderConfigError } from '../../sim/dataloader/validate';
import { calibrateSampleMs } from '../../workers/pipeline/calibrate';
import { sourceBytes } from '../../workers/pipeline/source';
import { runLive, type CopyFn } from '../../workers/live';
import type { WorkerFactory } from '../../workers/pool';
import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import type { meta } from './meta';

export type DataloaderParams = ParamsOf<typeof meta.schema>;
import { liveFeed } from './liveFeed';

export const LIVE_MAX_WORKERS = 16;
export const LIVE_MAX_STEPS = 600;
/** A browser tab should not hold more source data than this across all its workers. */
export const LIVE_MEMORY_BUDGET = 1.5 * 2 ** 30;
/**
 * Distinct samples a live source holds at most; batches cycle through them. The file is written
 * once and every worker opens its own copy at start-up: a bigger source would only make writing
 * it and that start-up, not the loading, longer. About a million values (liveSourceSamples).
 */
export const LIVE_SOURCE_SAMPLES = 4096;
export function liveSourceSamples(features: number, batchSize: number): number {
  return Math.max(batchSize, Math.min(LIVE_SOURCE_SAMPLES, Math.floor(2 ** 20 / features)));
}

export interface DataloaderResult {
  mode: 'simulated' | 'live';
  cfg: LoaderConfig;
  env: SimEnvironment;
  /** Costs the simulator used: measured on this machine (per-sample decode) plus modelled parts. */
  costs: LoaderCosts;
  /** Per-sample cost of each format on this machine, ms. */
  sampleMsByFormat: Record<SourceFormat, number>;
  notes: string[];
  trace: Trace;
  stats: LoaderStats;
  steady: SteadyState;
  diagnosis: Diagnosis;
  sweep: Sweep;
  /** Live only: what the simulator predicts with the costs this run measured. */
  simulatedUtilization: number | null;
  crashes: number;
  reissued: number;
  simulatorMs: number;
}

export interface DataloaderDeps {
  factory?: WorkerFactory;
  hardwareThreads?: number;
  /** Source bytes all workers together may hold; default LIVE_MEMORY_BUDGET (tests lower it). */
  memoryBudget?: number;
  copy?: CopyFn;
}

/**
 * The simulator's loader and environment for the lab's (typed) parameters. No conversion: the
 * schema's enums are the simulator's unions. With 0 workers nothing is prefetched (PyTorch
 * ignores prefetch_factor then), and every run uses seed 1 so it replays exactly.
 */
export function loaderSetup(p: DataloaderParams): { cfg: LoaderConfig; env: SimEnvironment } {
  const {
    numWorkers,
    batchSize,
    features,
    format,
    augment,
    stepMs,
    stepsPerEpoch,
    epochs,
    pinMemory,
    persistentWorkers,
  } = p;
  return {
    cfg: {
      numWorkers,
      prefetchFactor: numWorkers === 0 ? 0 : p.prefetchFactor,
      batchSize,
      features,
      format,
      augment,
      stepMs,
      stepsPerEpoch,
      epochs,
      pinMemory,
      persistentWorkers,
    },
    env: { storage: p.storage, ranks: p.ranks, jitter: p.jitter, seed: 1 },
  };
}

function hardware(deps: DataloaderDeps): number {
  if (deps.hardwareThreads) return deps.hardwareThreads;
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return n && n > 0 ? n : 4;
}

/**
 * The lab's run: either the real worker pipeline (live) or the simulator, then the same analysis
 * on both: steady-state formulas, diagnosis with the biggest lever, and a workers × prefetch sweep.
 */
export async function runDataloaderLab(
  ctx: LabRunContext,
  p: DataloaderParams,
  deps: DataloaderDeps = {},
): Promise<DataloaderResult> {
  const { cfg: asked, env } = loaderSetup(p);
  const cfg = { ...asked };
  const notes: string[] = [];
  const live = p.mode === 'live';

  if (live) {
    const hw = hardware(deps);
    const cap = Math.min(LIVE_MAX_WORKERS, hw);
    if (cfg.numWorkers > cap) {
      notes.push(
        `num_workers ${cfg.numWorkers} is more than ${cap === hw ? `this machine’s ${hw} hardware threads` : `the live limit of ${LIVE_MAX_WORKERS}`}; running ${cap}. More workers than cores only take turns on the same cores (the simulated mode has no such limit).`,
      );
      cfg.numWorkers = cap;
    }
    if (cfg.stepsPerEpoch * cfg.epochs > LIVE_MAX_STEPS) {
      const per = Math.max(1, Math.floor(LIVE_MAX_STEPS / cfg.epochs));
      notes.push(
        `A live run is capped at ${LIVE_MAX_STEPS} steps so it ends in seconds; running ${per} steps per epoch instead of ${cfg.stepsPerEpoch}.`,
      );
      cfg.stepsPerEpoch = per;
    }
    if (env.storage !== 'memory' || env.ranks !== 1)
      notes.push(
        'Storage, ranks and jitter apply to the simulated mode; a live run reads its source from memory on one rank.',
      );
    const bytes = sourceBytes({
      format: cfg.format,
      samples: Math.min(liveSourceSamples(cfg.features, cfg.batchSize), cfg.stepsPerEpoch * cfg.batchSize),
      features: cfg.features,
    });
    const problem = memoryProblem(bytes, Math.max(1, cfg.numWorkers), deps.memoryBudget ?? LIVE_MEMORY_BUDGET);
    if (problem) throw new LoaderConfigError(problem);
  } else if (env.storage === 'memory') {
    const bytes = cfg.stepsPerEpoch * cfg.batchSize * storageBytesPerSample(cfg.format, cfg.features);
    const problem = memoryProblem(bytes, Math.max(1, cfg.numWorkers), HOST_RAM_GIB * 2 ** 30);
    if (problem)
      throw new LoaderConfigError(
        `${problem.replace('the memory available', `the ${HOST_RAM_GIB} GiB of host RAM`)} Choose NVMe or object storage to stream it.`,
      );
  }
  if (cfg.stepMs === 0)
    notes.push(
      'A 0 ms training step means the GPU has no work: utilization is 0% by definition, and the run measures the loader alone.',
    );

  ctx.progress(0.02, 'measuring decode cost on this CPU');
  const sampleMsByFormat: Record<SourceFormat, number> = await calibrateSampleMs(cfg.features, cfg.augment);
  let costs: LoaderCosts = { ...DEFAULT_COSTS, sampleMs: sampleMsByFormat[cfg.format] };

  let trace: Trace;
  let stats: LoaderStats;
  let simulatedUtilization: number | null = null;
  let crashes = 0;
  let reissued = 0;
  let simEnv = env;
  let simCfg = cfg;
  let simulatorMs: number;

  if (live) {
    if (!deps.factory) throw new Error('The live mode needs a worker factory.');
    const total = cfg.stepsPerEpoch * cfg.epochs;
    let lastProgress = 0;
    liveFeed.start(
      cfg.numWorkers === 0 ? ['main thread'] : Array.from({ length: cfg.numWorkers }, (_, i) => `worker ${i}`),
      total,
    );
    try {
      const r = await runLive(cfg, {
        factory: deps.factory,
        signal: ctx.signal,
        sourceSamples: liveSourceSamples(cfg.features, cfg.batchSize),
        copy: deps.copy,
        onSpan: liveFeed.span,
        onQueue: liveFeed.queue,
        onPool: liveFeed.setPool,
        onCrash: () => liveFeed.crash(),
        onStep: (done, all, s) => {
          liveFeed.step(done, s.utilization, s.samplesPerS);
          // The store update re-renders the page chrome: a few times a second is enough for a progress bar.
          const t = performance.now();
          if (t - lastProgress > 200 || done === all) {
            lastProgress = t;
            ctx.progress(done / all, `step ${done} of ${all}`);
          }
        },
      });
      trace = r.trace;
      stats = r.stats;
      crashes = r.crashes;
      reissued = r.reissued;
      const m = r.measured;
      // Feed the simulator what this run measured; scale the other format's cost by the calibration ratio.
      costs = {
        sampleMs: m.sampleMs,
        batchOverheadMs: 0,
        workerStartMs: m.workerStartMs,
        pinnedGBps: m.pinnedGBps,
        pageableGBps: m.pageableGBps,
      };
      const ratio = m.sampleMs / sampleMsByFormat[cfg.format];
      for (const f of SOURCE_FORMATS) sampleMsByFormat[f] *= ratio;
      simEnv = { storage: 'memory', ranks: 1, jitter: Math.min(10, m.loadCv), seed: 1 };
      simCfg = { ...cfg, stepMs: cfg.stepMs > 0 ? m.stepMs : 0 };
      const t0 = performance.now();
      simulatedUtilization = simulate(simCfg, costs, simEnv, { traceBatches: 0 }).stats.utilization;
      simulatorMs = performance.now() - t0;
    } finally {
      liveFeed.finish();
    }
  } else {
    ctx.progress(0.1, 'simulating');
    const t0 = performance.now();
    const r = simulate(cfg, costs, env, { traceBatches: 400 });
    simulatorMs = performance.now() - t0;
    trace = r.trace;
    stats = r.stats;
  }

  ctx.progress(0.9, 'diagnosing and sweeping');
  const costsFor = (c: LoaderConfig): LoaderCosts => ({ ...costs, sampleMs: sampleMsByFormat[c.format] });
  const maxW = live ? Math.min(LIVE_MAX_WORKERS, hardware(deps)) : 64;
  const axes = sweepAxes(live ? LIVE_MAX_WORKERS : 64);
  return {
    mode: live ? 'live' : 'simulated',
    cfg,
    env: simEnv,
    costs,
    sampleMsByFormat,
    notes,
    trace,
    stats,
    steady: steadyState(simCfg, costs, simEnv),
    diagnosis: diagnose(simCfg, costsFor, simEnv, stats, maxW),
    sweep: sweep(simCfg, costs, simEnv, axes.workers, axes.prefetch),
    simulatedUtilization,
    crashes,
    reissued,
    simulatorMs,
  };
}
