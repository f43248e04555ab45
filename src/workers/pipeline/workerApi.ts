import { checksum, loadBatch } from './decode';
import type { DataloaderWorkerApi, LoadRequest, LoadedBatch } from './protocol';
import { now } from './protocol';
import { makeSource, type Source, type SourceSpec } from './source';

/**
 * The worker side of the pipeline, free of any worker API so tests can call it directly. `transfer`
 * marks the batch buffer as moved (Comlink.transfer), so results cross threads without a copy.
 */
export function createWorkerApi(transfer: <T>(value: T, transferables: Transferable[]) => T): DataloaderWorkerApi {
  let source: Source | null = null;
  let dying = false;
  return {
    init(spec: SourceSpec) {
      const t0 = now();
      source = makeSource(spec);
      const bytes = source.csv ? source.csv.bytes.byteLength : source.spec.samples * source.spec.features * 4;
      return { t0, t1: now(), bytes };
    },
    load(req: LoadRequest): LoadedBatch | Promise<LoadedBatch> {
      if (!source) throw new Error('Worker used before init().');
      if (dying || req.crash) {
        // Die the way a segfaulting worker looks from outside: an uncaught error, and no reply ever.
        dying = true;
        setTimeout(() => {
          throw new Error(`dataloader worker crashed on batch ${req.id} (injected)`);
        }, 0);
        return new Promise<LoadedBatch>(() => {});
      }
      const t0 = now();
      const data = loadBatch(source, req.index, req.batchSize, req.augment);
      const result: LoadedBatch = { id: req.id, data, checksum: checksum(data), t0, t1: now() };
      return transfer(result, [data.buffer]);
    },
  };
}
