import { timeSteps, type TimingOptions, type TimingSource } from '../gpu/timing';
import { totalBytes, type PreparedKernel } from './types';

export interface KernelMeasurement {
  medianMs: number;
  spreadMs: number;
  timing: TimingSource;
  repeats: number;
  /** Per-repetition time of each sample, in ms. */
  samplesMs: number[];
  /** Cost-model bytes moved divided by the median time. */
  gbPerS: number;
  gflopPerS: number;
  bytesMoved: number;
  flops: number;
}

/** The measured fields that results tables and bench rows carry (no per-sample detail). */
export type MeasuredFields = Pick<KernelMeasurement, 'medianMs' | 'spreadMs' | 'gbPerS' | 'gflopPerS' | 'bytesMoved' | 'flops' | 'timing'>;

export async function measureKernel(device: GPUDevice, kernel: PreparedKernel, opts: TimingOptions = {}): Promise<KernelMeasurement> {
  const t = await timeSteps(device, kernel.steps, opts);
  const bytesMoved = totalBytes(kernel.cost);
  return {
    medianMs: t.medianMs,
    spreadMs: t.spreadMs,
    timing: t.timing,
    repeats: t.repeats,
    samplesMs: t.samplesMs,
    gbPerS: bytesMoved / (t.medianMs * 1e6),
    gflopPerS: kernel.cost.flops / (t.medianMs * 1e6),
    bytesMoved,
    flops: kernel.cost.flops,
  };
}

/** Largest absolute difference between two arrays, with where it happened. */
export function maxAbsError(got: ArrayLike<number>, want: ArrayLike<number>): { error: number; index: number } {
  let error = 0;
  let index = -1;
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= error)) {
      error = Number.isNaN(d) ? Infinity : d;
      index = i;
    }
  }
  return { error, index };
}
