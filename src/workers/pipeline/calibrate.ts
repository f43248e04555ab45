import type { SourceFormat } from '../../sim/dataloader/types';
import { loadBatch } from './decode';
import { makeSource } from './source';

/**
 * Measures this machine's decode + transform cost per sample for one format, on the calling thread:
 * a small source, timed groups of batches until `budgetMs` has passed, the fastest group kept (the
 * least disturbed by other work). Groups grow until each lasts ≥ 0.5 ms, because browsers round
 * performance.now() to 100 µs. Lets the simulator run with costs from the user's own CPU.
 */
export function calibrateSampleMs(format: SourceFormat, features: number, augment: number, budgetMs = 15): number {
  const batch = 16;
  const src = makeSource({ format, samples: batch * 8, features, seed: 11 });
  let reps = 1;
  let best = Infinity;
  const end = performance.now() + budgetMs;
  let i = 0;
  let groups = 0;
  while (groups < 3 || performance.now() < end) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) loadBatch(src, i++ % 8, batch, augment);
    const dt = performance.now() - t0;
    if (dt < 0.5 && reps < 1 << 16) {
      reps *= 2;
      continue;
    }
    best = Math.min(best, dt / reps);
    groups++;
  }
  return Math.max(best / batch, 1e-6);
}
