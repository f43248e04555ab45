import type { KvSimulator, SimHooks } from './simulator';

/** The memory map after a step, as changes since the previous frame: [block, packed cell, ...]. */
export interface MapFrame {
  step: number;
  time: number;
  running: number;
  waiting: number;
  /** Requests preempted and not yet back (swapped out, or waiting to be recomputed). */
  preempted: number;
  diff: number[];
}

/**
 * Records the memory map every `stride` steps as diffs, keeping at most `maxFrames` frames: when
 * full, neighbouring frames are merged and the stride doubles, so a run of any length fits in a
 * bounded, JSON-friendly recording without knowing its length in advance.
 */
export function mapRecorder(
  numBlocks: number,
  maxFrames = 400,
): { hooks: SimHooks; frames: MapFrame[]; usedIds: Set<number>; stride(): number } {
  const frames: MapFrame[] = [{ step: 0, time: 0, running: 0, waiting: 0, preempted: 0, diff: [] }];
  const prev = new Float64Array(numBlocks);
  const cur = new Float64Array(numBlocks);
  const usedIds = new Set<number>();
  let stride = 1;

  const compact = () => {
    const merged: MapFrame[] = [frames[0]];
    for (let i = 1; i < frames.length; i += 2) {
      const a = frames[i];
      const b = frames[i + 1];
      if (!b) {
        merged.push(a);
        continue;
      }
      const m = new Map<number, number>();
      for (let k = 0; k < a.diff.length; k += 2) m.set(a.diff[k], a.diff[k + 1]);
      for (let k = 0; k < b.diff.length; k += 2) m.set(b.diff[k], b.diff[k + 1]);
      const diff: number[] = [];
      for (const [blk, code] of m) diff.push(blk, code);
      merged.push({ ...b, diff });
    }
    frames.splice(0, frames.length, ...merged);
    stride *= 2;
  };

  const hooks: SimHooks = {
    onStep(sim: KvSimulator) {
      if (sim.step % stride !== 0 && !sim.done) return;
      sim.backend.cells(cur);
      const diff: number[] = [];
      for (let b = 0; b < numBlocks; b++)
        if (cur[b] !== prev[b]) {
          diff.push(b, cur[b]);
          prev[b] = cur[b];
        }
      for (const g of sim.runningGroups()) usedIds.add(g.id);
      const c = sim.counts();
      frames.push({
        step: sim.step,
        time: sim.time,
        running: c.running,
        waiting: c.waiting,
        preempted: c.preempted,
        diff,
      });
      if (frames.length >= maxFrames) compact();
    },
  };
  return { hooks, frames, usedIds, stride: () => stride };
}

/** Rebuilds the full map of every frame (for the view; typed arrays stay out of the store). */
export function replayFrames(numBlocks: number, frames: MapFrame[]): Float64Array[] {
  const out: Float64Array[] = [];
  let cur = new Float64Array(numBlocks);
  for (const f of frames) {
    cur = cur.slice();
    for (let k = 0; k < f.diff.length; k += 2) cur[f.diff[k]] = f.diff[k + 1];
    out.push(cur);
  }
  return out;
}
