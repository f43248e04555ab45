import type { SourceFormat } from '../../sim/dataloader/types';
import { loadBatch } from './decode';
import { makeSource } from './source';

/**
 * Measures this machine's decode + transform cost per sample for both formats, on the calling
 * thread: small sources, timed groups of batches alternating between the formats (so a burst of
 * other work slows both alike) until `budgetMs` has passed, the fastest group of each kept. Groups
 * grow until each lasts ≥ 0.5 ms, because browsers round performance.now() to 100 µs. Lets the
 * simulator run with costs from the user's own CPU.
 */
export function calibrateSampleMs(features: number, augment: number, budgetMs = 60): Record<SourceFormat, number> {
  const batch = 16;
  const formats: SourceFormat[] = ['csv', 'columnar'];
  const sources = formats.map((format) => makeSource({ format, samples: batch * 8, features, seed: 11 }));
  const reps = [1, 1];
  const best = [Infinity, Infinity];
  const groups = [0, 0];
  const end = performance.now() + budgetMs;
  let i = 0;
  while (Math.min(...groups) < 5 || performance.now() < end) {
    for (let f = 0; f < 2; f++) {
      const t0 = performance.now();
      for (let r = 0; r < reps[f]; r++) loadBatch(sources[f], i++ % 8, batch, augment);
      const dt = performance.now() - t0;
      if (dt < 0.5 && reps[f] < 1 << 16) {
        reps[f] *= 2;
        continue;
      }
      best[f] = Math.min(best[f], dt / reps[f]);
      groups[f]++;
    }
  }
  return { csv: Math.max(best[0] / batch, 1e-6), columnar: Math.max(best[1] / batch, 1e-6) };
}
