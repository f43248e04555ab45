import type { LoaderConfig, LoaderCosts, SimEnvironment, SourceFormat, StorageKind, StorageModel } from './types';

/**
 * Bytes one sample occupies in the source: CSV spends ~8 characters per value ("-0.1234,"); Parquet
 * and Arrow 4 (float32: random features do not compress, as the data-formats lab measures).
 */
export function storageBytesPerSample(format: SourceFormat, features: number): number {
  return format === 'csv' ? features * 8 : features * 4;
}

/** A decoded batch as float32: what crosses to the GPU. */
export function batchBytes(cfg: Pick<LoaderConfig, 'batchSize' | 'features'>): number {
  return cfg.batchSize * cfg.features * 4;
}

/**
 * Storage presets. Object storage shares an aggregate rate across ranks and each node's NIC caps
 * it again; local NVMe belongs to each node; RAM costs nothing to read.
 */
export const STORAGE: Record<StorageKind, StorageModel & { perRankGBps: number; label: string }> = {
  memory: {
    label: 'dataset in RAM',
    latencyMs: 0,
    bandwidthGBps: Infinity,
    perRankGBps: Infinity,
    tailProb: 0,
    tailMs: 0,
  },
  nvme: {
    label: 'local NVMe SSD',
    latencyMs: 0.08,
    bandwidthGBps: Infinity,
    perRankGBps: 3,
    tailProb: 0.002,
    tailMs: 4,
  },
  object: {
    label: 'object storage over the network',
    latencyMs: 20,
    bandwidthGBps: 10,
    perRankGBps: 1.25,
    tailProb: 0.01,
    tailMs: 150,
  },
};

/** Read bandwidth one rank gets, GB/s: its NIC or disk, or its share of the store's aggregate. */
export function rankBandwidthGBps(storage: StorageKind, ranks: number): number {
  const s = STORAGE[storage];
  return Math.min(s.perRankGBps, s.bandwidthGBps / Math.max(1, ranks));
}

/**
 * Costs for a typical server CPU and PCIe 4 x16, used when nothing was measured. The live run and
 * the lab's simulated mode replace sampleMs (and start-up) with numbers measured on this machine.
 */
export const DEFAULT_COSTS: LoaderCosts = {
  sampleMs: 0.02,
  batchOverheadMs: 0.05,
  workerStartMs: 300,
  pinnedGBps: 24,
  pageableGBps: 8,
};

/** Host RAM the simulated training node has for a dataset held in memory. */
export const HOST_RAM_GIB = 64;

export const DEFAULT_ENV: SimEnvironment = { storage: 'memory', ranks: 1, jitter: 0.3, seed: 1 };

/** Time one batch occupies this rank's storage channel (its bandwidth share), ms. */
export function transferMs(cfg: LoaderConfig, env: Pick<SimEnvironment, 'storage' | 'ranks'>): number {
  const bw = rankBandwidthGBps(env.storage, env.ranks);
  const bytes = cfg.batchSize * storageBytesPerSample(cfg.format, cfg.features);
  return Number.isFinite(bw) ? bytes / (bw * 1e6) : 0;
}

/** Time to read one batch from storage when the channel is free, ms (no tail). */
export function readMs(cfg: LoaderConfig, env: Pick<SimEnvironment, 'storage' | 'ranks'>): number {
  return STORAGE[env.storage].latencyMs + transferMs(cfg, env);
}

/** CPU time for one batch in a worker: decode + transform of every sample plus the fixed per-batch part. */
export function cpuMs(cfg: LoaderConfig, costs: LoaderCosts): number {
  return costs.batchOverheadMs + cfg.batchSize * costs.sampleMs;
}

export function copyMs(cfg: LoaderConfig, costs: LoaderCosts): number {
  const gbps = cfg.pinMemory ? costs.pinnedGBps : costs.pageableGBps;
  return batchBytes(cfg) / (gbps * 1e6);
}
