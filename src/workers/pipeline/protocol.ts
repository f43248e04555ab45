import type { SourceFile, SourceSpec } from './source';
import type { TaskShardSpec, TokenBatch } from './taskShards';

/** What the main thread asks a worker for; `id` is the global batch number, `index` its place in the epoch. */
export interface LoadRequest {
  id: number;
  index: number;
  batchSize: number;
  augment: number;
  /** Test and demo hook: the worker dies (uncaught error) instead of answering. */
  crash?: boolean;
}

export interface LoadedBatch {
  id: number;
  data: Float32Array;
  checksum: number;
  /** Absolute times (timeOrigin + now), so spans from any thread share one clock. */
  t0: number;
  t1: number;
  /** The Train lab's batches (a TaskShardSpec source): tokens and targets; `data` is then empty. */
  tokens?: TokenBatch;
}

export interface DataloaderWorkerApi {
  /** Opens the worker's copy of the file (structured-cloned bytes, or written here from a spec). */
  init(source: SourceFile | SourceSpec | TaskShardSpec): { t0: number; t1: number; bytes: number };
  load(req: LoadRequest): LoadedBatch | Promise<LoadedBatch>;
}

export const now = (): number => performance.timeOrigin + performance.now();
