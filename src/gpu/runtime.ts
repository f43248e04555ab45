import { acquireDevice, type AcquireOptions, type GpuInfo } from './device';
import { DeviceLostError } from './errors';
import { PipelineCache } from './pipelines';

export type RuntimeEvent =
  | { type: 'lost'; reason: string; message: string; generation: number }
  | { type: 'recovered'; generation: number; info: GpuInfo }
  | { type: 'failed'; message: string };

export interface RunOptions {
  /** How many times a task is re-run after the device is lost during it. */
  retries?: number;
  label?: string;
}

/**
 * Holds the current device and re-acquires one when it is lost. Work goes through `run()`, which
 * re-runs a task on the new device if the old one is lost while the task is in flight. A task must
 * therefore take the device from the runtime it is handed, never from a closure.
 */
export class GpuRuntime {
  device!: GPUDevice;
  adapter!: GPUAdapter;
  info!: GpuInfo;
  pipelines!: PipelineCache;
  /** Increments with each device; work started on an older generation is stale. */
  generation = 0;

  private disposed = false;
  private lostSignal!: Promise<DeviceLostError>;
  private recovering: Promise<void> | null = null;
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();

  private constructor(private readonly options: AcquireOptions) {}

  static async create(options: AcquireOptions = {}): Promise<GpuRuntime> {
    const rt = new GpuRuntime(options);
    await rt.attach();
    return rt;
  }

  on(listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once a live device is attached (immediately unless recovering from a loss). */
  async ready(): Promise<void> {
    while (this.recovering) await this.recovering;
  }

  async run<T>(task: (rt: GpuRuntime) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    const retries = opts.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      await this.ready();
      const generation = this.generation;
      try {
        const out = await Promise.race([task(this), this.lostSignal.then((e) => Promise.reject(e))]);
        if (this.generation !== generation) throw new DeviceLostError('device was replaced during the run');
        return out;
      } catch (e) {
        const lost = this.generation !== generation || this.isLost(generation);
        if (!lost || attempt >= retries || this.disposed) throw e;
        await this.ready();
      }
    }
  }

  private lostGeneration = -1;
  private isLost(generation: number): boolean {
    return this.lostGeneration === generation;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.device?.destroy();
  }

  private async attach(): Promise<void> {
    const { adapter, device, info } = await acquireDevice(this.options);
    this.adapter = adapter;
    this.device = device;
    this.info = info;
    this.pipelines = new PipelineCache(device);
    this.generation++;
    const generation = this.generation;
    this.lostSignal = device.lost.then((lost) => {
      this.lostGeneration = generation;
      const err = new DeviceLostError(`GPU device lost (${lost.reason}): ${lost.message || 'no message'}`);
      if (!this.disposed && this.generation === generation) this.recover(lost.reason, lost.message);
      return err;
    });
    // The race in run() attaches its own handler; this keeps an unobserved rejection from surfacing.
    this.lostSignal.catch(() => undefined);
  }

  private recover(reason: string, message: string): void {
    this.emit({ type: 'lost', reason, message, generation: this.generation });
    this.recovering = (async () => {
      let lastError: unknown;
      for (let attempt = 0; attempt < 3 && !this.disposed; attempt++) {
        try {
          await this.attach();
          this.emit({ type: 'recovered', generation: this.generation, info: this.info });
          return;
        } catch (e) {
          lastError = e;
          await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
        }
      }
      this.emit({
        type: 'failed',
        message: `Could not re-acquire a GPU device: ${(lastError as Error)?.message ?? 'disposed'}`,
      });
    })().finally(() => {
      this.recovering = null;
    });
  }

  private emit(e: RuntimeEvent): void {
    for (const l of this.listeners) l(e);
  }
}
