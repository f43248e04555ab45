import type { DispatchStep } from '../gpu/dispatch';

/** FLOPs and global-memory bytes of one run of a kernel, from its analytic model (cost.ts). */
export interface KernelCost {
  flops: number;
  bytesRead: number;
  bytesWritten: number;
}

export function totalBytes(c: KernelCost): number {
  return c.bytesRead + c.bytesWritten;
}

/** A kernel with its buffers allocated and bind groups made, ready to dispatch and time. */
export interface PreparedKernel {
  steps: DispatchStep[];
  cost: KernelCost;
  /** Bytes of GPU memory this configuration allocated (inputs, outputs, intermediates). */
  allocatedBytes: number;
  read(): Promise<Float32Array>;
  dispose(): void;
}
