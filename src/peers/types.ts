import type { TimingOptions, TimingResult } from '../gpu/timing';

/**
 * How a peer was timed: the same fields as our `timeSteps` result, so labs show both side by side.
 * For peers, 'timestamp' means GPU timestamps around the library's kernels (tfjs sums its
 * per-kernel times, so CPU-side dispatch gaps are excluded) and 'wallclock' means submit to
 * `onSubmittedWorkDone`, which includes the library's CPU overhead per run.
 */
export type PeerTiming = TimingResult;

/** The same knobs as `timeSteps`; the first warm-up run also compiles the library's pipelines. */
export type PeerTimingOptions = TimingOptions;

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
