import type { TimingSource } from '../gpu/timing';

/** How a peer was timed. Same meaning as our `timeSteps` result, so labs can show both side by side. */
export interface PeerTiming {
  /** Median time of one run of the op chain, in ms. */
  medianMs: number;
  /** Interquartile range of the per-run times, in ms. */
  spreadMs: number;
  /** Per-run time of each sample (each sample averages `repeats` runs), in ms. */
  samplesMs: number[];
  /** Runs per sample, calibrated so that one sample beats the timer's resolution. */
  repeats: number;
  /**
   * 'timestamp': GPU timestamp queries around the library's kernels (tfjs sums its per-kernel
   * times, so CPU-side dispatch gaps are excluded). 'wallclock': submit to `onSubmittedWorkDone`,
   * which includes the library's CPU overhead per run.
   */
  timing: TimingSource;
}

export interface PeerTimingOptions {
  /** Untimed runs before calibration (the first also compiles the library's pipelines). */
  warmup?: number;
  samples?: number;
  /** Each sample repeats the op chain until it lasts at least this long. */
  minSampleMs?: number;
  maxRepeats?: number;
  /** Runs per sample, fixed: skips calibration (rounds of an interleaved bench reuse one count). */
  repeats?: number;
  /** Time with the wall clock even where timestamp queries exist. */
  forceWallclock?: boolean;
  signal?: AbortSignal;
}

export interface PeerResult {
  /** The peer's output, read back from the GPU before timing. */
  output: Float32Array;
  timing: PeerTiming;
}

/**
 * One operation of a peer with its inputs already resident on the GPU. Labs that interleave
 * implementations in rounds prepare every peer first, then call `time()` round by round.
 */
export interface PreparedPeerOp {
  /** Human-readable name, e.g. "tfjs matMul". */
  readonly label: string;
  /** Runs the op once and reads its output back. */
  read(): Promise<Float32Array>;
  time(opts?: PeerTimingOptions): Promise<PeerTiming>;
  /** Frees the GPU tensors/buffers of this op. Safe to call twice. */
  dispose(): void;
}
