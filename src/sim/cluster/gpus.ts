import { DATACENTER_GPUS, findGpu as findCatalogGpu, type GpuSpec } from '../../catalog/gpus';

/**
 * Accelerators a training job may run on, from the catalog (src/catalog/gpus.ts): memory capacity
 * (the line the memory bars are drawn against), dense BF16 matrix throughput and the per-GPU
 * bandwidths of the two networks a job talks over. Capacities are datasheet GB (10^9 bytes), the
 * unit the ZeRO paper's figures use.
 */
export interface ClusterGpu {
  id: string;
  name: string;
  memoryGB: number;
  /** Dense BF16 tensor-core peak, TFLOP/s. */
  bf16Tflops: number;
  /** Per-GPU, per-direction bandwidth to GPUs in the same node, GB/s. */
  intraNodeGBps: number;
  /** The usual network per GPU to other nodes, GB/s (one 400 Gb/s NIC per GPU = 50 GB/s). */
  interNodeGBps: number;
  gpusPerNode: number;
  source: string;
}

export function clusterGpuOf(g: GpuSpec): ClusterGpu {
  return {
    id: g.id,
    name: g.name,
    memoryGB: g.memoryGB,
    bf16Tflops: g.bf16Tflops ?? g.fp32Tflops,
    intraNodeGBps: g.linkGBps,
    interNodeGBps: g.networkGBps,
    gpusPerNode: g.gpusPerNode,
    source: `${g.source}; ${g.link}`,
  };
}

/** GPUs with matrix units and a multi-GPU server form. */
export const CLUSTER_GPUS: readonly ClusterGpu[] = DATACENTER_GPUS.filter((g) => g.gpusPerNode > 1).map(clusterGpuOf);

/** Old ids of this table ("h100-80", "h200-141", "rtx4090-24") and the catalog ids they became. */
export const GPU_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  DATACENTER_GPUS.flatMap((g) => (g.aliases ?? []).filter((a) => /-\d+$/.test(a)).map((a) => [a, g.id])),
);

export function findGpu(id: string): ClusterGpu | undefined {
  const g = findCatalogGpu(id);
  return g ? CLUSTER_GPUS.find((c) => c.id === g.id) : undefined;
}
