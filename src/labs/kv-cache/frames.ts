import type { MapFrame } from '../../sim/kvcache';

/**
 * Rebuilds the memory map at any recorded frame from the diffs, moving forward from the last
 * position (restarting only when going back), so huge memories never hold every frame at once.
 */
export class FrameCursor {
  private cells: Float64Array;
  private at = -1;

  constructor(
    private readonly frames: MapFrame[],
    numBlocks: number,
  ) {
    this.cells = new Float64Array(numBlocks);
  }

  /** Index of the last frame recorded at or before `step`. */
  indexForStep(step: number): number {
    let lo = 0;
    let hi = this.frames.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.frames[mid].step <= step) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  frame(i: number): MapFrame {
    return this.frames[i];
  }

  /** The map after frame i; the returned array is a fresh copy (safe to keep across renders). */
  cellsAt(i: number): Float64Array {
    if (i < this.at) {
      this.cells.fill(0);
      this.at = -1;
    }
    for (let f = this.at + 1; f <= i; f++) {
      const d = this.frames[f].diff;
      for (let k = 0; k < d.length; k += 2) this.cells[d[k]] = d[k + 1];
    }
    this.at = i;
    return this.cells.slice();
  }
}

/** Every step at which either map was recorded, sorted: the playback timeline. */
export function unionSteps(...lists: (MapFrame[] | undefined)[]): number[] {
  const s = new Set<number>();
  for (const l of lists) for (const f of l ?? []) s.add(f.step);
  return [...s].sort((a, b) => a - b);
}
