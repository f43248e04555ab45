import { simulate } from './simulate';
import type { LoaderConfig, LoaderCosts, SimEnvironment, Sweep } from './types';

/** Enough steps for the steady state to dominate, few enough that a whole grid stays instant. */
export function sweepConfig(cfg: LoaderConfig, maxSteps = 600): LoaderConfig {
  const epochs = Math.min(cfg.epochs, 2);
  return { ...cfg, epochs, stepsPerEpoch: Math.max(1, Math.min(cfg.stepsPerEpoch, Math.floor(maxSteps / epochs))) };
}

/** Utilization over a grid of num_workers × prefetch_factor, everything else as configured. */
export function sweep(
  cfg: LoaderConfig,
  costs: LoaderCosts,
  env: SimEnvironment,
  workers: number[],
  prefetch: number[],
): Sweep {
  const base = sweepConfig(cfg);
  return {
    workers,
    prefetch,
    utilization: workers.map((w) =>
      prefetch.map(
        (p) =>
          simulate({ ...base, numWorkers: w, prefetchFactor: w === 0 ? 0 : p }, costs, env, { traceBatches: 0 }).stats
            .utilization,
      ),
    ),
  };
}

export function sweepAxes(maxWorkers: number): { workers: number[]; prefetch: number[] } {
  const workers = [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64].filter((w) => w <= maxWorkers);
  return { workers, prefetch: [1, 2, 4, 8] };
}
