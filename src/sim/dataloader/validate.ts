import { SOURCE_FORMATS, type LoaderConfig, type LoaderCosts, type SimEnvironment } from './types';

export class LoaderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoaderConfigError';
  }
}

const finite = (x: number) => typeof x === 'number' && Number.isFinite(x);

/**
 * Rejects configurations the pipeline cannot run, with the reason in words: the simulator and the
 * worker pool both call this before doing anything, so bad input never turns into NaN or a hang.
 */
export function checkConfig(cfg: LoaderConfig, opts: { maxWorkers?: number; maxSteps?: number } = {}): void {
  const maxWorkers = opts.maxWorkers ?? 64;
  const maxSteps = opts.maxSteps ?? 1_000_000;
  const int = (v: number, name: string, lo: number, hi: number, why = '') => {
    if (!finite(v) || Math.round(v) !== v)
      throw new LoaderConfigError(`${name} must be a whole number, got ${String(v)}.`);
    if (v < lo || v > hi) throw new LoaderConfigError(`${name} must be between ${lo} and ${hi}, got ${v}.${why}`);
  };
  int(cfg.numWorkers, 'num_workers', 0, maxWorkers);
  if (cfg.numWorkers > 0 && cfg.prefetchFactor === 0)
    throw new LoaderConfigError(
      'prefetch_factor 0 lets no batch be in flight, so the workers could never hand one over; PyTorch rejects it too. Use 1 or more.',
    );
  int(cfg.prefetchFactor, 'prefetch_factor', cfg.numWorkers === 0 ? 0 : 1, 64);
  int(cfg.batchSize, 'batch_size', 1, 65_536);
  int(cfg.features, 'features per sample', 1, 65_536);
  int(cfg.augment, 'transform passes', 0, 1024);
  int(cfg.stepsPerEpoch, 'steps per epoch', 1, maxSteps);
  int(cfg.epochs, 'epochs', 1, 1000);
  if (cfg.stepsPerEpoch * cfg.epochs > maxSteps)
    throw new LoaderConfigError(
      `${cfg.stepsPerEpoch * cfg.epochs} steps in all is more than the ${maxSteps} this run allows.`,
    );
  if (!finite(cfg.stepMs) || cfg.stepMs < 0)
    throw new LoaderConfigError(`The training step must take 0 ms or more, got ${String(cfg.stepMs)}.`);
  if (!(SOURCE_FORMATS as readonly string[]).includes(cfg.format))
    throw new LoaderConfigError(
      `Unknown source format ${JSON.stringify(cfg.format)}; use ${SOURCE_FORMATS.join(', ')}.`,
    );
}

export function checkCosts(c: LoaderCosts): void {
  for (const [k, v] of Object.entries(c)) {
    if (!finite(v) || v < 0) throw new LoaderConfigError(`Cost ${k} must be a finite number ≥ 0, got ${String(v)}.`);
  }
  if (c.pinnedGBps <= 0 || c.pageableGBps <= 0)
    throw new LoaderConfigError('Host-to-device bandwidths must be above 0 GB/s.');
}

export function checkEnv(env: SimEnvironment): void {
  if (!finite(env.ranks) || env.ranks < 1 || Math.round(env.ranks) !== env.ranks || env.ranks > 4096)
    throw new LoaderConfigError(`Data-parallel ranks must be a whole number from 1 to 4096, got ${String(env.ranks)}.`);
  if (!finite(env.jitter) || env.jitter < 0 || env.jitter > 10)
    throw new LoaderConfigError(`Load-time jitter must be between 0 and 10, got ${String(env.jitter)}.`);
  if (!['memory', 'nvme', 'object'].includes(env.storage))
    throw new LoaderConfigError(`Unknown storage ${JSON.stringify(env.storage)}.`);
}

/**
 * A dataset held in RAM must fit: every worker process holds its own copy in PyTorch (fork plus
 * copy-on-access), and the main process one more. Returns the message, or null when it fits.
 */
export function memoryProblem(datasetBytes: number, copies: number, budgetBytes: number): string | null {
  const need = datasetBytes * copies;
  if (need <= budgetBytes) return null;
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(b < 2 ** 30 ? 2 : 1)} GiB`;
  return `The source (${gib(datasetBytes)}${copies > 1 ? ` × ${copies} copies, one per process = ${gib(need)}` : ''}) is larger than the memory available (${gib(budgetBytes)}). Use fewer samples or features, fewer workers, or stream it from storage.`;
}
