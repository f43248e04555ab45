import { runSteps } from '../gpu/dispatch';
import type { GpuRuntime } from '../gpu/runtime';
import { timeSteps, type TimingOptions, type TimingSource } from '../gpu/timing';
import { compareOutputs, type CheckError } from './check';
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
export type MeasuredFields = Pick<
  KernelMeasurement,
  'medianMs' | 'spreadMs' | 'gbPerS' | 'gflopPerS' | 'bytesMoved' | 'flops' | 'timing'
>;

/** Times a kernel (no check: use measureChecked unless the kernel was checked just before). */
export async function measureKernel(
  device: GPUDevice,
  kernel: Pick<PreparedKernel, 'steps' | 'cost'>,
  opts: TimingOptions = {},
): Promise<KernelMeasurement> {
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

// Check, then time. The error metric (CheckError, ErrorMeter, compareOutputs) is in ./check.ts,
// a pure file that references and labs' metas may import.
export { compareOutputs, ErrorMeter, type CheckError } from './check';

/** A kernel's output differs from its CPU reference by more than its tolerance. */
export class KernelCheckError extends Error {
  constructor(
    readonly label: string,
    readonly check: CheckError,
    readonly tolerance: number,
  ) {
    super(
      `${label}: output differs from the CPU reference: worst at index ${check.index} (got ${fmt(check.got)}, want ${fmt(check.want)}); ` +
        `max |error| ${fmt(check.maxAbs)} is ${fmt(check.error)} of max |reference| ${fmt(check.scale)}, tolerance ${fmt(tolerance)} (${check.checked} outputs checked).`,
    );
    this.name = 'KernelCheckError';
  }
}

function fmt(x: number): string {
  return Number.isFinite(x) && x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)
    ? x.toExponential(2)
    : String(Number(x.toPrecision(4)));
}

export interface CheckSpec {
  /** Names the kernel in a failure ("matmul/tiled 256×256×256"). */
  label: string;
  /** Largest acceptable value of the metric. */
  tolerance: number;
  /** The full CPU reference of `kernel.read()`; or give `compare` for chunked or sampled checks. */
  reference?: ArrayLike<number>;
  /** Computes the metric itself (with ErrorMeter / compareOutputs) after the kernel has run once. */
  compare?: () => Promise<CheckError>;
}

/**
 * The validate half: runs the kernel once and compares its output with the reference by the one
 * metric; throws KernelCheckError naming the worst index when it exceeds the tolerance.
 */
export async function checkKernel(
  rt: Pick<GpuRuntime, 'device'>,
  kernel: PreparedKernel,
  spec: CheckSpec,
): Promise<CheckError> {
  await runSteps(rt.device, kernel.steps, `check ${spec.label}`);
  let check: CheckError;
  if (spec.compare) check = await spec.compare();
  else if (spec.reference) check = compareOutputs(await kernel.read(), spec.reference);
  else throw new Error(`${spec.label}: measureChecked needs a reference or a compare function.`);
  if (!(check.error <= spec.tolerance)) throw new KernelCheckError(spec.label, check, spec.tolerance);
  return check;
}

export interface CheckedMeasurement extends KernelMeasurement {
  check: CheckError;
}

/**
 * Check, then time (llm.c's validate_result + benchmark_kernel): every lab's run and bench measures
 * a kernel through this. A kernel timed again in later interleaved rounds uses measureKernel, once
 * this has checked it.
 */
export async function measureChecked(
  rt: Pick<GpuRuntime, 'device'>,
  kernel: PreparedKernel,
  spec: CheckSpec & { timing?: TimingOptions },
): Promise<CheckedMeasurement> {
  const check = await checkKernel(rt, kernel, spec);
  // The check's run is a warm-up run too (pipelines compiled, caches and clocks warmed): one fewer
  // is needed, which matters on software adapters where one run of a large kernel takes seconds.
  const t = spec.timing;
  const timing = t?.warmup ? { ...t, warmup: t.warmup - 1 } : t;
  const m = await measureKernel(rt.device, kernel, timing);
  return { ...m, check };
}
