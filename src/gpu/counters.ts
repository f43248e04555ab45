import { createStorageBuffer, readUint32 } from './buffers';

/**
 * Instrumented kernel variants count their global-memory traffic in a small atomic buffer:
 *   @group(1) @binding(0) var<storage, read_write> COUNTERS: array<atomic<u32>, 2>;
 * slot 0 = bytes read from global memory, slot 1 = bytes written. Kernels accumulate per invocation
 * and add once at the end, so the atomics do not serialise the kernel. Tests hold these counts to
 * the cost model exactly.
 */
export const COUNTER_SLOTS = 2;

export interface TrafficCount {
  bytesRead: number;
  bytesWritten: number;
}

export function createCounters(device: GPUDevice, slots = COUNTER_SLOTS): Promise<GPUBuffer> {
  return createStorageBuffer(device, new Uint32Array(slots), 'traffic-counters');
}

export async function readTraffic(device: GPUDevice, counters: GPUBuffer): Promise<TrafficCount> {
  const [bytesRead, bytesWritten] = await readUint32(device, counters, 2);
  return { bytesRead, bytesWritten };
}
