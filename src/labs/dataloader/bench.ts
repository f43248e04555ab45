import { cpuRow, type BenchRow, type BenchSuite } from '../../bench/types';
import { median } from '../../gpu/timing';
import {
  DEFAULT_COSTS,
  SOURCE_FORMATS,
  batchBytes,
  simulate,
  storageBytesPerSample,
  type LoaderConfig,
} from '../../sim/dataloader';
import { runLive } from '../../workers/live';
import { writeSourceFile } from '../../workers/pipeline/source';

function row(
  kernel: string,
  variant: string,
  params: BenchRow['params'],
  samplesMs: number[],
  adapter: string,
  extra: Record<string, unknown> = {},
): BenchRow {
  return cpuRow({ lab: 'dataloader', kernel, variant, params }, samplesMs, extra, adapter);
}

/**
 * The simulator's speed at cluster scale, and the real worker pipeline's loader throughput for
 * CSV against Parquet and Arrow files (steps take 0 ms and no transform runs, so samples/s is the decode's
 * ceiling and the format is the only difference). CPU work only:
 * the GPU fields hold what the loader moved (decoded bytes), no FLOPs.
 */
export const suite: BenchSuite = {
  lab: 'dataloader',
  title: 'Data pipeline (simulator speed; live worker throughput CSV vs Parquet vs Arrow)',
  async *run(ctx) {
    const base: LoaderConfig = {
      numWorkers: 64,
      prefetchFactor: 4,
      batchSize: 64,
      features: 256,
      format: 'arrow',
      augment: 4,
      stepMs: 5,
      stepsPerEpoch: 50_000,
      epochs: 2,
      pinMemory: true,
      persistentWorkers: true,
    };
    for (const [steps, workers] of [
      [10_000, 8],
      [100_000, 64],
    ] as const) {
      ctx.progress(`simulator: ${steps} steps, ${workers} workers`);
      const cfg = { ...base, numWorkers: workers, stepsPerEpoch: steps / 2 };
      const times: number[] = [];
      let util = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        util = simulate(cfg, DEFAULT_COSTS, { storage: 'object', ranks: 8, jitter: 0.5, seed: i + 1 }).stats
          .utilization;
        times.push(performance.now() - t0);
      }
      yield row('simulator', 'object-storage', { steps, workers }, times, 'cpu (node)', { utilization: util });
    }

    const { nodeWorkerFactory } = await import('../../workers/node/nodeFactory');
    const factory = await nodeWorkerFactory();
    for (const format of SOURCE_FORMATS) {
      ctx.progress(`live pipeline: ${format}, 2 worker threads`);
      const cfg: LoaderConfig = {
        numWorkers: 2,
        prefetchFactor: 4,
        batchSize: 64,
        // 512 features, 40 steps: d3-dsv parses ~2 M fields per CSV run, seconds on a shared CPU.
        features: 512,
        format,
        augment: 0,
        stepMs: 0,
        stepsPerEpoch: 40,
        epochs: 1,
        pinMemory: true,
        persistentWorkers: true,
      };
      // Written once per format (the file is on disk before training starts), opened by every run's workers.
      const file = writeSourceFile({ format, samples: 512, features: cfg.features, seed: 1 });
      const walls: number[] = [];
      const rates: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await runLive(cfg, { factory, sourceSamples: 512, file });
        // Throughput after start-up: the loader's rate, not the cost of opening the source.
        const loading = r.stats.wallMs - r.stats.startupMs;
        walls.push(loading);
        rates.push((cfg.stepsPerEpoch * cfg.batchSize * 1000) / loading);
      }
      const ms = median(walls);
      const bytes = cfg.stepsPerEpoch * (cfg.batchSize * storageBytesPerSample(format, cfg.features) + batchBytes(cfg));
      yield row(
        'pipeline',
        format,
        { workers: 2, batch: cfg.batchSize, features: cfg.features, steps: cfg.stepsPerEpoch },
        walls,
        'cpu (node worker_threads)',
        {
          samplesPerS: median(rates),
          gbPerS: bytes / (ms * 1e6),
          bytesMoved: bytes,
        },
      );
    }
  },
  summarize(rows) {
    const out: string[] = [];
    const big = rows.find((r) => r.kernel === 'simulator' && r.params.steps === 100_000);
    if (big)
      out.push(
        `simulator: 100,000 steps × 64 workers in ${big.medianMs.toFixed(0)} ms (target < 1000 ms: ${big.medianMs < 1000 ? 'met' : 'missed'})`,
      );
    const csv = rows.find((r) => r.kernel === 'pipeline' && r.variant === 'csv');
    for (const other of ['parquet', 'arrow']) {
      const col = rows.find((r) => r.kernel === 'pipeline' && r.variant === other);
      if (csv && col) {
        const a = Number(csv.samplesPerS);
        const b = Number(col.samplesPerS);
        out.push(
          `live, 2 workers: CSV ${Math.round(a)} samples/s, ${other} ${Math.round(b)} samples/s → ${other} ${(b / a).toFixed(2)}× CSV`,
        );
      }
    }
    return out;
  },
};
