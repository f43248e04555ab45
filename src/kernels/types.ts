import type { TrafficCounters } from '../gpu/counters';
import type { DispatchStep } from '../gpu/dispatch';

export type { TrafficCount, TrafficCounters } from '../gpu/counters';

/** FLOPs and global-memory bytes of one run of a kernel, from its analytic model (cost.ts). */
export interface KernelCost {
  flops: number;
  bytesRead: number;
  bytesWritten: number;
}

export function totalBytes(c: KernelCost): number {
  return c.bytesRead + c.bytesWritten;
}

/**
 * A kernel with its buffers allocated and bind groups made, ready to dispatch and time.
 *
 * The kernel contract (README, "Add a kernel"): a host's `prepare…(rt, …, { instrumented })`
 * returns this. `steps` bind the kernel's buffers at group 0 and its counters at group 1;
 * `counters` is the one counter API (reset, read) and only an instrumented build has counts to
 * read; `read()` returns the output that measureChecked compares with the CPU reference.
 */
export interface PreparedKernel {
  steps: DispatchStep[];
  cost: KernelCost;
  /** Bytes of GPU memory this configuration allocated (inputs, outputs, intermediates). */
  allocatedBytes: number;
  /** Global-memory bytes the instrumented build counted (see src/gpu/counters.ts). */
  counters: TrafficCounters;
  /** The kernel's output, as float32. */
  read(): Promise<Float32Array>;
  dispose(): void;
}

/** Options every `prepare…` accepts. */
export interface PrepareOptions {
  /** Build the variant that counts its global loads and stores (for checks and tests, not timing). */
  instrumented?: boolean;
}
