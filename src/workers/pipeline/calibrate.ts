import type { SourceFormat } from '../../sim/dataloader/types';
import { SOURCE_FORMATS } from '../../sim/dataloader/types';
import { loadBatch } from './decode';
import { openSource, writeSourceFile, type Source } from './source';

/**
 * Measures this machine's decode + transform cost per sample for every format, on the calling
 * thread, through the same readers the workers use (d3-dsv, hyparquet, flechette): small files,
 * timed groups of batches alternating between the formats (so a burst of other work slows all
 * alike) until `budgetMs` has passed, the fastest group of each kept. Groups grow until each lasts
 * ≥ 0.5 ms, because browsers coarsen performance.now()
 * (Chrome to 100 µs on pages that are not cross-origin isolated; others coarsen it too). Lets the simulator run with costs
 * from the user's own CPU.
 */
export const CAL_FEATURES = 512;

export async function calibrateSampleMs(
  features: number,
  augment: number,
  budgetMs = 60,
): Promise<Record<SourceFormat, number>> {
  const batch = 16;
  const formats = SOURCE_FORMATS;
  // Wide tables are timed at CAL_FEATURES columns and scaled linearly: decode and transform costs
  // are per value, and writing three 4096-column files only to time them would take seconds.
  const calFeatures = Math.min(features, CAL_FEATURES);
  const scale = features / calFeatures;
  const sources: Source[] = formats.map((format) =>
    openSource(writeSourceFile({ format, samples: batch * 8, features: calFeatures, seed: 11 })),
  );
  const reps = formats.map(() => 1);
  const best = formats.map(() => Infinity);
  const groups = formats.map(() => 0);
  // A first pass outside the clock: Parquet decodes (and caches) its row groups, JIT warms up.
  for (const s of sources) for (let i = 0; i < 8; i++) await loadBatch(s, i, batch, augment);
  const end = performance.now() + budgetMs;
  const pos = formats.map(() => 0);
  while (Math.min(...groups) < 5 || performance.now() < end) {
    for (let f = 0; f < formats.length; f++) {
      const t0 = performance.now();
      for (let r = 0; r < reps[f]; r++) {
        // Each pass over the file decodes every Parquet row group once, as a sequential reader
        // does: the amortised cost per sample, not a cache hit.
        if (pos[f] % 8 === 0) sources[f].parquet?.cache.clear();
        await loadBatch(sources[f], pos[f]++ % 8, batch, augment);
      }
      const dt = performance.now() - t0;
      if (dt < 0.5 && reps[f] < 1 << 16) {
        reps[f] *= 2;
        continue;
      }
      best[f] = Math.min(best[f], dt / reps[f]);
      groups[f]++;
    }
  }
  return Object.fromEntries(formats.map((f, k) => [f, Math.max((best[k] / batch) * scale, 1e-6)])) as Record<
    SourceFormat,
    number
  >;
}
