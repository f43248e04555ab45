/**
 * GPU time of a library's work on its own device, from timestamps we add to each compute pass it
 * encodes. onnxruntime-web has no per-run timing API on its WebGPU execution provider (its
 * profiler writes a trace file into the wasm file system), but it encodes through the device's
 * ordinary WebGPU objects, so for the duration of a measurement the device's
 * `createCommandEncoder` is wrapped: each compute pass gets `timestampWrites` into our query set,
 * and each encoder resolves its queries into our buffer just before `finish()`. The measured time
 * is the sum of the passes' durations: the GPU's time in the library's kernels, without the CPU
 * gaps between submits (the same quantity `timeSteps` measures for ours, one pass around all
 * dispatches).
 */

/** Pairs of timestamps one measurement can hold; a library run with more passes falls back. */
const MAX_PASSES = 1024;
/** resolveQuerySet writes at multiples of 256 bytes, so each encoder resolves into its own aligned region. */
const ALIGN = 256;
const align = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;

export interface PassTiming {
  /** Summed duration of every compute pass encoded during the measurement. */
  ms: number;
  /** How many compute passes the library encoded. */
  passes: number;
}

type EncoderFactory = GPUDevice['createCommandEncoder'];

export class PassTimestamps {
  private readonly querySet: GPUQuerySet;
  private readonly resolve: GPUBuffer;
  private readonly readback: GPUBuffer;
  private busy = false;

  /** Null when the device cannot write timestamps (no `timestamp-query`): time by wall clock then. */
  static create(device: GPUDevice): PassTimestamps | null {
    return device.features.has('timestamp-query') ? new PassTimestamps(device) : null;
  }

  private constructor(private readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 * MAX_PASSES, label: 'peer pass timestamps' });
    // Worst case one pass per encoder: one aligned region per pass.
    const bytes = MAX_PASSES * ALIGN;
    this.resolve = device.createBuffer({
      size: bytes,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
      label: 'peer pass timestamps',
    });
    this.readback = device.createBuffer({
      size: bytes,
      usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
      label: 'peer pass timestamps readback',
    });
  }

  /**
   * Runs `work` (which must wait for its own GPU work to finish) with every compute pass on this
   * device timed. Throws if the library already writes timestamps of its own or encodes more than
   * MAX_PASSES passes, since the sum would then miss some of its work.
   */
  async measure(work: () => Promise<void>): Promise<PassTiming> {
    if (this.busy) throw new Error('PassTimestamps: one measurement at a time');
    this.busy = true;
    const device = this.device;
    const own = Object.prototype.hasOwnProperty.call(device, 'createCommandEncoder');
    const original: EncoderFactory = device.createCommandEncoder;
    let passes = 0;
    let failure: string | null = null;
    // Where each encoder's passes were resolved: its first pass, how many, the byte offset.
    const regions: { first: number; count: number; offset: number }[] = [];
    let used = 0;
    device.createCommandEncoder = (desc?: GPUCommandEncoderDescriptor) => {
      const enc = original.call(device, desc);
      const first = passes;
      const beginComputePass = enc.beginComputePass.bind(enc);
      const finish = enc.finish.bind(enc);
      enc.beginComputePass = (pd?: GPUComputePassDescriptor) => {
        if (pd?.timestampWrites) failure ??= 'the library writes its own pass timestamps';
        if (passes >= MAX_PASSES) failure ??= `the library encoded more than ${MAX_PASSES} compute passes`;
        if (failure) return beginComputePass(pd);
        const i = passes++;
        return beginComputePass({
          ...pd,
          timestampWrites: {
            querySet: this.querySet,
            beginningOfPassWriteIndex: 2 * i,
            endOfPassWriteIndex: 2 * i + 1,
          },
        });
      };
      enc.finish = (fd?: GPUCommandBufferDescriptor) => {
        // Each encoder resolves its own passes' slots into its own region, so submits in any order
        // stay correct.
        const count = passes - first;
        if (count > 0) {
          regions.push({ first, count, offset: used });
          enc.resolveQuerySet(this.querySet, 2 * first, 2 * count, this.resolve, used);
          used += align(16 * count);
        }
        return finish(fd);
      };
      return enc;
    };
    try {
      await work();
    } finally {
      if (own) device.createCommandEncoder = original;
      else delete (device as { createCommandEncoder?: EncoderFactory }).createCommandEncoder;
      this.busy = false;
    }
    if (failure) throw new Error(`Cannot time the library's passes: ${failure}.`);
    if (passes === 0) throw new Error("Cannot time the library's passes: it encoded no compute pass while measured.");
    const resolved = regions.reduce((n, r) => n + r.count, 0);
    if (resolved !== passes)
      throw new Error(
        `Cannot time the library's passes: ${passes - resolved} were encoded on an encoder it never finished.`,
      );
    const enc = device.createCommandEncoder({ label: 'peer pass timestamps copy' });
    enc.copyBufferToBuffer(this.resolve, 0, this.readback, 0, used);
    device.queue.submit([enc.finish()]);
    await this.readback.mapAsync(GPUMapMode.READ, 0, used);
    const stamps = new BigInt64Array(this.readback.getMappedRange(0, used).slice(0));
    this.readback.unmap();
    let ns = 0;
    for (const r of regions) {
      for (let i = 0; i < r.count; i++) {
        const at = r.offset / 8 + 2 * i;
        // A pass that straddles a clock reset can read end < begin on some drivers; it adds nothing.
        const d = Number(stamps[at + 1] - stamps[at]);
        if (d > 0) ns += d;
      }
    }
    return { ms: ns / 1e6, passes };
  }

  dispose(): void {
    this.querySet.destroy();
    this.resolve.destroy();
    this.readback.destroy();
  }
}
