import { copyMs, cpuMs, readMs, transferMs } from './model';
import type { LoaderConfig, LoaderCosts, SimEnvironment } from './types';

export interface SteadyState {
  /** Worker time to produce one batch (read + decode + transform), ms. */
  loadMs: number;
  copyMs: number;
  /** Time between consecutive steps once the pipeline is full, ms. */
  periodMs: number;
  utilization: number;
  samplesPerS: number;
  /** Fewest workers for which the loader keeps up with copy + step (0: the consumer takes no time). */
  workersNeeded: number;
}

/**
 * Steady-state throughput with constant costs. With workers, n of them deliver a batch every
 * loadMs / n and the consumer needs one every copy + step, so the period is the larger of the two;
 * this rank's storage channel, one batch at a time, bounds it again. Without workers the consumer does all three in series.
 * Prefetching does not appear: with constant costs it only shortens the start-up bubble; it pays
 * off when load times vary (see the simulator's jitter).
 */
export function steadyState(
  cfg: LoaderConfig,
  costs: LoaderCosts,
  env: Pick<SimEnvironment, 'storage' | 'ranks'>,
): SteadyState {
  const read = readMs(cfg, env);
  const load = read + cpuMs(cfg, costs);
  const copy = copyMs(cfg, costs);
  const consumer = copy + cfg.stepMs;
  const period =
    cfg.numWorkers === 0 ? load + consumer : Math.max(consumer, load / cfg.numWorkers, transferMs(cfg, env));
  return {
    loadMs: load,
    copyMs: copy,
    periodMs: period,
    utilization: period > 0 ? cfg.stepMs / period : 0,
    samplesPerS: period > 0 ? (cfg.batchSize / period) * 1000 : 0,
    workersNeeded: consumer > 0 ? Math.max(1, Math.ceil(load / consumer - 1e-9)) : 0,
  };
}
