import { streamSeedOf, TrainSampler } from '../model/task';
import type { BatchSource, DataFactory } from '../model/train/trainer';
import { examplesPerBatch, fromTokenBatch, type TaskShardSpec } from './pipeline/taskShards';
import { WorkerPool, type WorkerFactory } from './pool';

export interface ShardStreamOptions {
  /** Dataloader workers (PyTorch's num_workers). */
  workers: number;
  /** Batches each worker may have outstanding (prefetch_factor). */
  prefetch: number;
}

export const DEFAULT_STREAM: ShardStreamOptions = { workers: 2, prefetch: 2 };

/**
 * The training stream through the dataloader lab's worker pool: each worker writes the Parquet
 * shards its batches fall in and reads the batches back through the Parquet reader; the pool hands
 * them to the trainer strictly in order (DataLoader semantics, a crashed worker replaced). Batch
 * ids count from the spec's origin (a fresh run's first sampler state, or a checkpoint's).
 */
export async function openShardStream(
  spec: TaskShardSpec,
  steps: number,
  factory: WorkerFactory,
  opts: ShardStreamOptions = DEFAULT_STREAM,
): Promise<BatchSource> {
  const E = examplesPerBatch(spec);
  const done = spec.origin.position / E;
  if (!Number.isInteger(done))
    throw new Error(`Data position ${spec.origin.position} is not a whole number of ${E}-example batches.`);
  const pool = new WorkerPool({
    factory,
    numWorkers: opts.workers,
    prefetchFactor: opts.prefetch,
    source: spec,
    batchSize: E,
    augment: 0,
  });
  try {
    await pool.spawn();
  } catch (e) {
    pool.stop();
    throw e;
  }
  let taken = 0;
  // The schedule's remaining batches; past the schedule (npm run train --resume adds steps) the
  // epoch is begun again from where it stands.
  let left = Math.max(1, steps - done);
  let state = spec.origin;
  pool.beginEpoch(0, left);
  return {
    name: `Parquet shards streamed by ${opts.workers} dataloader worker${opts.workers === 1 ? '' : 's'}`,
    async next() {
      if (left === 0) {
        left = 1024;
        pool.beginEpoch(taken, left);
      }
      const b = await pool.next();
      if (!b.tokens) throw new Error('A dataloader worker answered without tokens: it was not opened on task shards.');
      taken++;
      left--;
      state = b.tokens.after;
      return fromTokenBatch(b.tokens);
    },
    get state() {
      return state;
    },
    dispose() {
      pool.stop();
    },
  };
}

/** The Trainer's data factory for a worker factory: a pool per run, opened at the checkpoint's sampler state. */
export function shardData(factory: WorkerFactory, opts: ShardStreamOptions = DEFAULT_STREAM): DataFactory {
  return (spec, state) =>
    openShardStream(
      {
        kind: 'task-shards',
        task: spec.task,
        origin: state ?? TrainSampler.fresh(spec.task, streamSeedOf(spec.seed)).state,
        batch: spec.model.batch,
        context: spec.model.context,
      },
      spec.steps,
      factory,
      opts,
    );
}
