import { encodeSteps, type DispatchStep } from './dispatch';

export type TimingSource = 'timestamp' | 'wallclock';

export interface TimingOptions {
  warmup?: number;
  samples?: number;
  /**
   * Each sample repeats the dispatches until it lasts at least this long. Chrome rounds timestamps
   * to 100 µs without its developer flag, so 2 ms keeps the rounding error under 5%.
   */
  minSampleMs?: number;
  maxRepeats?: number;
  /**
   * Runs per sample, fixed: skips the calibration run. Benches that interleave implementations in
   * rounds calibrate once, then pass the count so every round costs the same.
   */
  repeats?: number;
  /** Force the wall-clock path (tests use it to check the fallback). */
  forceWallclock?: boolean;
  signal?: AbortSignal;
}

export interface TimingResult {
  /** Median time of one repetition of the steps, in ms. */
  medianMs: number;
  /** Interquartile range of the per-repetition times, in ms. */
  spreadMs: number;
  samplesMs: number[];
  repeats: number;
  timing: TimingSource;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function spread(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return quantile(s, 0.75) - quantile(s, 0.25);
}

/**
 * Times a sequence of dispatches: warm up, calibrate a repeat count so that each sample beats the
 * timer's resolution, then take several samples and report the median and spread per repetition.
 * All repetitions of one sample go in one compute pass; WebGPU orders storage writes between
 * dispatches of a pass, so multi-pass kernels (unfused chains) stay correct.
 */
export async function timeSteps(
  device: GPUDevice,
  steps: DispatchStep[],
  opts: TimingOptions = {},
): Promise<TimingResult> {
  const warmup = opts.warmup ?? 2;
  const samples = Math.max(1, opts.samples ?? 7);
  const timing: TimingSource =
    device.features.has('timestamp-query') && !opts.forceWallclock ? 'timestamp' : 'wallclock';
  const minSampleMs = opts.minSampleMs ?? (timing === 'timestamp' ? 2 : 10);
  const maxRepeats = opts.maxRepeats ?? 4096;
  const sampler = timing === 'timestamp' ? new TimestampSampler(device) : new WallclockSampler(device);
  try {
    for (let i = 0; i < warmup; i++) {
      checkAbort(opts.signal);
      await sampler.sample(steps, 1);
    }
    checkAbort(opts.signal);
    const repeats =
      opts.repeats ??
      Math.min(maxRepeats, Math.max(1, Math.ceil(minSampleMs / Math.max(await sampler.sample(steps, 1), 1e-4))));
    const samplesMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      checkAbort(opts.signal);
      samplesMs.push((await sampler.sample(steps, repeats)) / repeats);
    }
    return { medianMs: median(samplesMs), spreadMs: spread(samplesMs), samplesMs, repeats, timing };
  } finally {
    sampler.dispose();
  }
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

interface Sampler {
  sample(steps: DispatchStep[], repeats: number): Promise<number>;
  dispose(): void;
}

class TimestampSampler implements Sampler {
  private readonly querySet: GPUQuerySet;
  private readonly resolve: GPUBuffer;
  private readonly readback: GPUBuffer;

  constructor(private readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
    this.resolve = device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    this.readback = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  }

  async sample(steps: DispatchStep[], repeats: number): Promise<number> {
    const enc = this.device.createCommandEncoder({ label: 'timed' });
    const pass = enc.beginComputePass({
      label: 'timed',
      timestampWrites: { querySet: this.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 },
    });
    for (let r = 0; r < repeats; r++) encodeSteps(pass, steps);
    pass.end();
    enc.resolveQuerySet(this.querySet, 0, 2, this.resolve, 0);
    enc.copyBufferToBuffer(this.resolve, 0, this.readback, 0, 16);
    this.device.queue.submit([enc.finish()]);
    await this.readback.mapAsync(GPUMapMode.READ);
    const [t0, t1] = new BigInt64Array(this.readback.getMappedRange().slice(0));
    this.readback.unmap();
    // Some drivers report end < begin when the pass straddles a clock reset; treat as unusable.
    const ns = Number(t1 - t0);
    return ns > 0 ? ns / 1e6 : 1e-4;
  }

  dispose(): void {
    this.querySet.destroy();
    this.resolve.destroy();
    this.readback.destroy();
  }
}

class WallclockSampler implements Sampler {
  constructor(private readonly device: GPUDevice) {}

  async sample(steps: DispatchStep[], repeats: number): Promise<number> {
    await this.device.queue.onSubmittedWorkDone();
    const enc = this.device.createCommandEncoder({ label: 'timed' });
    const pass = enc.beginComputePass({ label: 'timed' });
    for (let r = 0; r < repeats; r++) encodeSteps(pass, steps);
    pass.end();
    const t0 = performance.now();
    this.device.queue.submit([enc.finish()]);
    await this.device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  }

  dispose(): void {}
}
