import { checksum, loadBatch } from './decode';
import type { DataloaderWorkerApi, LoadRequest, LoadedBatch } from './protocol';
import { now } from './protocol';
import { openSource, writeSourceFile, type Source, type SourceFile, type SourceSpec } from './source';
import { isTaskShardSpec, TaskShardReader, tokenBuffers, type TaskShardSpec } from './taskShards';

/**
 * The worker side of the pipeline, free of any worker API so tests can call it directly. `transfer`
 * marks the batch buffer as moved (Comlink.transfer), so results cross threads without a copy.
 */
export function createWorkerApi(transfer: <T>(value: T, transferables: Transferable[]) => T): DataloaderWorkerApi {
  let source: Source | null = null;
  let shards: TaskShardReader | null = null;
  let dying = false;
  // A worker loads one batch at a time, like a DataLoader worker process: Parquet reads await, and
  // without this queue a prefetched request would interleave with (and inflate) the current one.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    init(arg: SourceFile | SourceSpec | TaskShardSpec) {
      const t0 = now();
      if (isTaskShardSpec(arg)) {
        shards = new TaskShardReader(arg);
        return { t0, t1: now(), bytes: 0 };
      }
      const file = 'bytes' in arg ? arg : writeSourceFile(arg);
      source = openSource(file);
      return { t0, t1: now(), bytes: file.bytes.byteLength };
    },
    async load(req: LoadRequest): Promise<LoadedBatch> {
      if (!source && !shards) throw new Error('Worker used before init().');
      if (dying || req.crash) {
        // Die the way a segfaulting worker looks from outside: an uncaught error, and no reply ever.
        dying = true;
        setTimeout(() => {
          throw new Error(`dataloader worker crashed on batch ${req.id} (injected)`);
        }, 0);
        return new Promise<LoadedBatch>(() => {});
      }
      const src = source;
      const reader = shards;
      const run = queue.then(async () => {
        const t0 = now();
        if (reader) {
          // The global batch number: a resumed run begins its epoch at the batch it stopped at.
          const tokens = await reader.load(req.id);
          const data = new Float32Array(0);
          const result: LoadedBatch = {
            id: req.id,
            data,
            checksum: checksum(Float32Array.from(tokens.pairs)),
            t0,
            t1: now(),
            tokens,
          };
          return transfer(result, tokenBuffers(tokens));
        }
        const data = await loadBatch(src!, req.index, req.batchSize, req.augment);
        const result: LoadedBatch = { id: req.id, data, checksum: checksum(data), t0, t1: now() };
        return transfer(result, [data.buffer]);
      });
      queue = run.catch(() => {});
      return run;
    },
  };
}
