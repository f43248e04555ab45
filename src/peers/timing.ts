import { median, spread, type TimingSource } from '../gpu/timing';
import type { PeerTiming, PeerTimingOptions, PreparedPeerOp, PeerResult } from './types';

/**
 * Runs `repeats` iterations of a peer's op chain and returns the total elapsed ms, measured by
 * the peer's own clock (timestamps or wall clock).
 */
export type PeerSampler = (repeats: number) => Promise<number>;

/**
 * Warm up, calibrate a repeat count so that one sample lasts at least `minSampleMs`, then take
 * the samples: the same protocol as `timeSteps`, so peer and kernel figures compare directly.
 */
export async function samplePeer(
  sample: PeerSampler,
  timing: TimingSource,
  opts: PeerTimingOptions = {},
): Promise<PeerTiming> {
  const warmup = Math.max(0, opts.warmup ?? 2);
  const samples = Math.max(1, opts.samples ?? 7);
  const minSampleMs = opts.minSampleMs ?? (timing === 'timestamp' ? 2 : 10);
  const maxRepeats = Math.max(1, opts.maxRepeats ?? 256);
  for (let i = 0; i < warmup; i++) {
    checkAbort(opts.signal);
    await sample(1);
  }
  checkAbort(opts.signal);
  const repeats =
    opts.repeats ?? Math.min(maxRepeats, Math.max(1, Math.ceil(minSampleMs / Math.max(await sample(1), 1e-4))));
  const samplesMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    checkAbort(opts.signal);
    samplesMs.push((await sample(repeats)) / repeats);
  }
  return { medianMs: median(samplesMs), spreadMs: spread(samplesMs), samplesMs, repeats, timing };
}

/** Reads the output first (so a wrong peer is caught before it is timed), then times it. */
export async function readAndTime(op: PreparedPeerOp, opts?: PeerTimingOptions): Promise<PeerResult> {
  try {
    const output = await op.read();
    const timing = await op.time(opts);
    return { output, timing };
  } finally {
    op.dispose();
  }
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/** Rejects sizes that would make a peer allocate nonsense, with a message a lab can show. */
export function checkDims(what: string, dims: Record<string, number>): void {
  for (const [name, v] of Object.entries(dims)) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${what}: ${name} must be a positive integer, got ${v}`);
  }
}

export function checkLength(what: string, name: string, arr: Float32Array, expected: number): void {
  if (arr.length !== expected)
    throw new RangeError(`${what}: ${name} has ${arr.length} elements, expected ${expected}`);
}
