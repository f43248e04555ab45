/**
 * The data-loading pipeline shared by the live worker run and the simulator: the same parameters
 * (PyTorch's DataLoader knobs) and the same trace, so the two can be drawn and compared alike.
 */

/**
 * How the source is stored: CSV text (every field parsed), Parquet (columnar, compressed, decoded
 * per row group) or Arrow IPC (columnar, read as zero-copy views).
 */
export const SOURCE_FORMATS = ['csv', 'parquet', 'arrow'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];
export type StorageKind = 'memory' | 'nvme' | 'object';

export interface LoaderConfig {
  /** 0 loads on the consumer's thread, like PyTorch's num_workers=0. */
  numWorkers: number;
  /** Batches each worker may have in flight (issued but not yet consumed). */
  prefetchFactor: number;
  batchSize: number;
  /** Float features per sample. */
  features: number;
  format: SourceFormat;
  /** Passes of the per-value transform (normalise + augment) applied to every sample. */
  augment: number;
  /** The training step the consumer runs per batch (GPU busy time). */
  stepMs: number;
  stepsPerEpoch: number;
  epochs: number;
  pinMemory: boolean;
  persistentWorkers: boolean;
}

/** Where samples come from and how the machine behaves: the simulator's extra knobs. */
export interface SimEnvironment {
  storage: StorageKind;
  /** Data-parallel ranks reading one shared store; each rank reads its own shard. */
  ranks: number;
  /** Per-batch load time variability (coefficient of variation of a lognormal factor). */
  jitter: number;
  seed: number;
}

/** Measured or modelled costs; the live run calibrates these, the simulator consumes them. */
export interface LoaderCosts {
  /** CPU time to decode and transform one sample, ms. */
  sampleMs: number;
  /** Fixed CPU cost per batch (collate, message, transfer), ms. */
  batchOverheadMs: number;
  /** Starting one worker (spawn, imports, opening the dataset), ms. */
  workerStartMs: number;
  /** Host-to-device copy rates, GB/s: pinned uses DMA directly, pageable stages through a bounce buffer. */
  pinnedGBps: number;
  pageableGBps: number;
}

export interface StorageModel {
  /** Time to first byte per batch read, ms. */
  latencyMs: number;
  /** Aggregate read bandwidth shared by every worker of every rank, GB/s (Infinity: RAM). */
  bandwidthGBps: number;
  /** Probability that a read hits a slow tail (retry, cold object), and its extra latency. */
  tailProb: number;
  tailMs: number;
}

export type SpanKind = 'startup' | 'load' | 'read' | 'copy' | 'step' | 'wait';

/** One busy or waiting interval on one lane. Lane -1 is the GPU; lanes 0.. are workers (or the main thread). */
export interface TraceSpan {
  lane: number;
  kind: SpanKind;
  t0: number;
  t1: number;
  /** Global batch index (epoch * stepsPerEpoch + step), -1 for start-up. */
  batch: number;
}

/** Batches ready and waiting for the consumer, after each change. */
export interface QueueSample {
  t: number;
  depth: number;
}

export interface Trace {
  /** Lane names, index = lane id; the GPU lane is separate. */
  lanes: string[];
  spans: TraceSpan[];
  queue: QueueSample[];
  /** End of the traced window, ms; spans after it were not recorded. */
  endMs: number;
  /** True when only the first part of a long run was recorded. */
  truncated: boolean;
}

export interface LoaderStats {
  wallMs: number;
  /** GPU busy (step) time over wall time. */
  utilization: number;
  samplesPerS: number;
  batches: number;
  /** Consumer time spent waiting for data, ms. */
  waitMs: number;
  stepMs: number;
  copyMs: number;
  /** Worker busy time over (workers × wall time). */
  workerBusy: number;
  meanLoadMs: number;
  startupMs: number;
  maxQueue: number;
}

export interface Diagnosis {
  bound: 'data' | 'compute' | 'balanced' | 'idle';
  text: string;
  lever: string;
  /** Utilization the lever reaches, per the simulator. */
  leverUtilization: number;
}

export interface Sweep {
  workers: number[];
  prefetch: number[];
  /** utilization[i][j] for workers[i], prefetch[j]. */
  utilization: number[][];
}
