import { createStorageBuffer, readUint32 } from './buffers';
import { bindGroup } from './dispatch';

/**
 * Global-memory traffic counters: the one instrumentation scheme every kernel uses.
 *
 * Every WGSL kernel gets shaders/common/counters.wgsl appended (src/kernels/specialise.ts), which
 * declares
 *   override INSTRUMENTED: bool = false;
 *   @group(1) @binding(0) var<storage, read_write> COUNTERS: array<atomic<u32>, 2>;
 * and the hooks count_read(bytes) / count_write(bytes) / flush_counts(). Slot 0 = bytes read from
 * global memory, slot 1 = bytes written. A build with INSTRUMENTED = true counts; the timing build
 * compiles the hooks away. Both builds bind a counter buffer at group 1 (the layout is the same), so
 * a prepared kernel always has `counters`; a timing build's read zeros.
 * Tests hold the counts to the cost model exactly.
 */
export const COUNTER_SLOTS = 2;
/** Bind group index of the counters in every kernel. */
export const COUNTERS_GROUP = 1;

export interface TrafficCount {
  bytesRead: number;
  bytesWritten: number;
}

/** The counter API of every prepared kernel. */
export interface TrafficCounters {
  /** Whether this build counts (prepared with `instrumented: true`). */
  readonly instrumented: boolean;
  /** Zeroes both counts (queued before the next dispatch). */
  reset(): void;
  /** Bytes counted since the last reset (a timing build counts nothing: zeros, which tests check). */
  read(): Promise<TrafficCount>;
}

/** The counter buffer of one prepared kernel: its API plus what the host needs to bind it. */
export interface CounterBuffer extends TrafficCounters {
  buffer: GPUBuffer;
  /** The group-1 bind group for one of the kernel's pipelines (each auto layout needs its own). */
  bind(pipeline: GPUComputePipeline): GPUBindGroup;
}

export async function createCounters(
  device: GPUDevice,
  instrumented: boolean,
  label = 'traffic-counters',
): Promise<CounterBuffer> {
  const buffer = await createStorageBuffer(device, new Uint32Array(COUNTER_SLOTS), label);
  return {
    buffer,
    instrumented,
    bind: (pipeline) => bindGroup(device, pipeline, [buffer], COUNTERS_GROUP, label),
    reset: () => device.queue.writeBuffer(buffer, 0, new Uint32Array(COUNTER_SLOTS)),
    async read() {
      const [bytesRead, bytesWritten] = await readUint32(device, buffer, COUNTER_SLOTS);
      return { bytesRead, bytesWritten };
    },
  };
}

/** The largest count a 32-bit atomic holds: callers skip counting runs that would wrap. */
export const COUNTER_MAX = 2 ** 32 - 1;
