import type { MeasuredFields } from '../kernels/measure';
import type { GpuRuntime } from '../gpu/runtime';
import { median, spread, type TimingSource } from '../gpu/timing';

/** One line of `npm run bench -- --json`. Suites may add fields (ratios, wastePct, ...). */
export interface BenchRow {
  lab: string;
  kernel: string;
  variant: string;
  /** "ours" or the peer library's package name. */
  impl: string;
  params: Record<string, number | string | boolean>;
  medianMs: number;
  spreadMs: number;
  gbPerS: number;
  gflopPerS: number;
  /** From the cost model, never from timing. */
  bytesMoved: number;
  flops: number;
  timing: TimingSource;
  /** "vendor/architecture" of the adapter the row ran on. */
  adapter: string;
  [extra: string]: unknown;
}

export interface BenchContext {
  runtime: GpuRuntime;
  adapter: string;
  /** True on software adapters (SwiftShader): suites skip sizes a CPU would take minutes on. */
  software: boolean;
  progress(text: string): void;
}

export interface BenchSuite {
  lab: string;
  title: string;
  run(ctx: BenchContext): AsyncIterable<BenchRow>;
  /** Ratios and verdicts computed from this suite's rows, printed after them. */
  summarize?(rows: BenchRow[]): string[];
}

/** Fills the fields every GPU row shares from a kernel measurement. */
export function kernelRow(
  base: Pick<BenchRow, 'lab' | 'kernel' | 'variant' | 'impl' | 'params'>,
  m: MeasuredFields,
  adapter: string,
  extra: Record<string, unknown> = {},
): BenchRow {
  return {
    ...base,
    medianMs: m.medianMs,
    spreadMs: m.spreadMs,
    gbPerS: m.gbPerS,
    gflopPerS: m.gflopPerS,
    bytesMoved: m.bytesMoved,
    flops: m.flops,
    timing: m.timing,
    adapter,
    ...extra,
  };
}

/** The adapter field of rows timed on the CPU running the bench (simulators, file readers, workers). */
export const CPU_ADAPTER = 'cpu (Node)';

/**
 * A row for CPU work timed by wall clock: median and interquartile spread of the samples, no GPU
 * traffic or FLOPs unless `extra` says what was moved.
 */
export function cpuRow(
  base: Pick<BenchRow, 'lab' | 'kernel' | 'variant' | 'params'> & { impl?: string },
  samplesMs: number[],
  extra: Record<string, unknown> = {},
  adapter = CPU_ADAPTER,
): BenchRow {
  return {
    impl: 'ours',
    ...base,
    medianMs: median(samplesMs),
    spreadMs: spread(samplesMs),
    gbPerS: 0,
    gflopPerS: 0,
    bytesMoved: 0,
    flops: 0,
    timing: 'wallclock',
    adapter,
    ...extra,
  };
}
