import { findGpu, GPUS, type GpuSpec } from '../../catalog/gpus';

/**
 * Reference hardware for projecting a measured kernel onto a machine the user does not have: the
 * catalog's GPUs (src/catalog/gpus.ts, datasheet peaks with their sources) in the units the roofline
 * uses. Achievable rates are typically 70–90 % of these peaks, which is why the user's own roofs are
 * measured instead.
 *
 * Units: bandwidth in GB/s (10^9 bytes/s), compute in GFLOP/s (10^9 FLOP/s), dense (no sparsity).
 */
export interface HardwareProfile {
  id: string;
  name: string;
  /** One line for the selector: memory type and where the figures come from. */
  note: string;
  bandwidthGBps: number;
  /** FP32 on the ordinary (non-tensor) cores: the roof for the playground's f32 kernels. */
  fp32Gflops: number;
  /** BF16 on matrix units, dense, FP32 accumulate; null where none is published. */
  bf16Gflops: number | null;
  /** Where each figure comes from. */
  source: string;
}

function profileOf(g: GpuSpec): HardwareProfile {
  return {
    id: g.id,
    name: g.vendor === 'NVIDIA' || g.vendor === 'AMD' ? `${g.vendor} ${g.name}` : g.name,
    note: `${g.memoryKind}, ${g.gpusPerNode > 1 ? 'datacenter or workstation' : 'laptop/desktop'} (${g.source.split(/[(;]/)[0].trim()})`,
    bandwidthGBps: g.bandwidthGBps,
    fp32Gflops: g.fp32Tflops * 1000,
    bf16Gflops: g.bf16Tflops === null ? null : g.bf16Tflops * 1000,
    source: g.source,
  };
}

export const PROFILES: readonly HardwareProfile[] = GPUS.map(profileOf);

/** By catalog id, or by an id older links used ("a100-80gb"). */
export function findProfile(id: string): HardwareProfile | undefined {
  const g = findGpu(id);
  return g ? PROFILES.find((p) => p.id === g.id) : undefined;
}
