import { steadyState } from './formulas';
import { STORAGE } from './model';
import { simulate } from './simulate';
import { sweepConfig } from './sweep';
import type { Diagnosis, LoaderConfig, LoaderCosts, LoaderStats, SimEnvironment } from './types';

interface Lever {
  label: string;
  cfg: LoaderConfig;
  env: SimEnvironment;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** The single changes a user can make, each tried in the simulator. */
function levers(cfg: LoaderConfig, env: SimEnvironment, costs: LoaderCosts, maxWorkers: number): Lever[] {
  const out: Lever[] = [];
  const need = steadyState(cfg, costs, env).workersNeeded;
  const more = Math.min(maxWorkers, need > 0 ? Math.max(need, cfg.numWorkers + 1) : maxWorkers);
  if (more > cfg.numWorkers)
    out.push({
      label: `num_workers ${cfg.numWorkers} → ${more}`,
      cfg: { ...cfg, numWorkers: more, prefetchFactor: Math.max(1, cfg.prefetchFactor) },
      env,
    });
  if (cfg.numWorkers > 0 && cfg.prefetchFactor < 16)
    out.push({
      label: `prefetch_factor ${cfg.prefetchFactor} → ${cfg.prefetchFactor * 2}`,
      cfg: { ...cfg, prefetchFactor: cfg.prefetchFactor * 2 },
      env,
    });
  if (cfg.format !== 'arrow')
    out.push({
      label: `an Arrow source (columnar, zero-copy) instead of ${cfg.format === 'csv' ? 'CSV' : 'Parquet'}`,
      cfg: { ...cfg, format: 'arrow' },
      env,
    });
  if (!cfg.pinMemory) out.push({ label: 'pin_memory on', cfg: { ...cfg, pinMemory: true }, env });
  if (!cfg.persistentWorkers && cfg.numWorkers > 0 && cfg.epochs > 1)
    out.push({ label: 'persistent_workers on', cfg: { ...cfg, persistentWorkers: true }, env });
  if (env.storage === 'object')
    out.push({ label: 'caching the shard on local NVMe', cfg, env: { ...env, storage: 'nvme' } });
  return out;
}

/** Costs that depend on the format: CSV parsing is what a columnar source saves, so the lever changes sampleMs too. */
export type CostsFor = (cfg: LoaderConfig) => LoaderCosts;

/**
 * Data-bound or compute-bound, and the one change that raises utilization most, found by
 * simulating each candidate change rather than by rule of thumb.
 */
export function diagnose(
  cfg: LoaderConfig,
  costsFor: CostsFor,
  env: SimEnvironment,
  stats: LoaderStats,
  maxWorkers = 64,
): Diagnosis {
  const costs = costsFor(cfg);
  if (cfg.stepMs === 0) {
    return {
      bound: 'idle',
      text: `A 0 ms training step gives the GPU nothing to do, so utilization is 0% by definition; the loader alone delivers ${Math.round(stats.samplesPerS).toLocaleString('en-US')} samples/s.`,
      lever: 'Set a step time to see whether the loader keeps up with it.',
      leverUtilization: 0,
    };
  }
  const waiting = stats.wallMs > 0 ? stats.waitMs / stats.wallMs : 0;
  let best: { label: string; u: number } | null = null;
  for (const l of levers(cfg, env, costs, maxWorkers)) {
    const u = simulate(sweepConfig(l.cfg), costsFor(l.cfg), l.env, { traceBatches: 0 }).stats.utilization;
    if (!best || u > best.u + 1e-9) best = { label: l.label, u };
  }
  const base = simulate(sweepConfig(cfg), costs, env, { traceBatches: 0 }).stats.utilization;
  const gain = best && best.u > base + 0.02 ? best : null;
  if (stats.utilization >= 0.9) {
    return {
      bound: 'compute',
      text: `Compute-bound: the GPU is busy ${pct(stats.utilization)} of the time and the loader keeps up.`,
      lever: `Speed up the step itself (faster kernels, mixed precision, a bigger batch); the loader has headroom${cfg.numWorkers > 1 ? `, and ${Math.min(cfg.numWorkers, steadyState(cfg, costs, env).workersNeeded)} worker(s) would already suffice` : ''}.`,
      leverUtilization: stats.utilization,
    };
  }
  const where = STORAGE[env.storage].latencyMs > 1 ? ' (storage latency included)' : '';
  // Short runs can be dominated by workers starting: say so rather than blame the steady state.
  if (!gain && stats.startupMs > 0.5 * stats.waitMs && stats.waitMs > 0) {
    return {
      bound: stats.utilization >= 0.75 ? 'balanced' : 'data',
      text: `The GPU waits ${pct(waiting)} of the time, mostly while workers start (${(stats.startupMs / 1000).toFixed(2)} s in all); once running, the loader keeps up.`,
      lever:
        cfg.persistentWorkers || cfg.epochs === 1
          ? 'Longer epochs amortise the start-up; a lighter dataset object or fewer imports in the worker shorten it.'
          : 'Biggest lever: persistent_workers on, so start-up is paid once.',
      leverUtilization: stats.utilization,
    };
  }
  return {
    bound: stats.utilization >= 0.75 ? 'balanced' : 'data',
    text: `${stats.utilization >= 0.75 ? 'Nearly balanced' : 'Data-bound'}: the GPU waits for batches ${pct(waiting)} of the time${where}; utilization ${pct(stats.utilization)}.`,
    lever: gain
      ? `Biggest lever: ${gain.label} → about ${pct(gain.u)} utilization.`
      : 'No single knob helps much: the loader’s per-sample cost itself must fall (cheaper transforms, a faster source).',
    leverUtilization: gain ? gain.u : stats.utilization,
  };
}
