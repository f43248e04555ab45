import { PROFILES } from '../roofline/profiles';

/**
 * Accelerators a training job may run on: memory capacity (the line the memory bars are drawn
 * against), dense BF16 matrix throughput and the per-GPU bandwidths of the two networks a job
 * talks over. Capacities are datasheet GB (10^9 bytes), the unit the ZeRO paper's figures use.
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

const tflops = (id: string): number => (PROFILES.find((p) => p.id === id)?.bf16Gflops ?? 0) / 1000;

export const CLUSTER_GPUS: readonly ClusterGpu[] = [
  {
    id: 'h100-80',
    name: 'H100 SXM 80 GB',
    memoryGB: 80,
    bf16Tflops: tflops('h100-sxm'),
    // NVLink 4: 900 GB/s total per GPU = 450 GB/s each way; ConnectX-7 400 Gb/s per GPU (DGX H100).
    intraNodeGBps: 450,
    interNodeGBps: 50,
    gpusPerNode: 8,
    source: 'NVIDIA H100 datasheet (SXM): 80 GB HBM3, 989 TFLOP/s dense BF16, NVLink 900 GB/s; DGX H100: 8 × 400 Gb/s',
  },
  {
    id: 'h200-141',
    name: 'H200 SXM 141 GB',
    memoryGB: 141,
    // Same compute die as H100 SXM; the H200 datasheet lists the same 1,979 TFLOP/s BF16 with sparsity.
    bf16Tflops: tflops('h100-sxm'),
    intraNodeGBps: 450,
    interNodeGBps: 50,
    gpusPerNode: 8,
    source: 'NVIDIA H200 datasheet (SXM): 141 GB HBM3e, 989 TFLOP/s dense BF16, NVLink 900 GB/s',
  },
  {
    id: 'a100-80',
    name: 'A100 SXM 80 GB',
    memoryGB: 80,
    bf16Tflops: tflops('a100-80gb'),
    // NVLink 3: 600 GB/s total = 300 GB/s each way; DGX A100: 8 × 200 Gb/s HDR = 25 GB/s per GPU.
    intraNodeGBps: 300,
    interNodeGBps: 25,
    gpusPerNode: 8,
    source: 'NVIDIA A100 datasheet: 80 GB HBM2e, 312 TFLOP/s dense BF16, NVLink 600 GB/s; DGX A100: 8 × 200 Gb/s',
  },
  {
    id: 'a100-40',
    name: 'A100 SXM 40 GB',
    memoryGB: 40,
    bf16Tflops: tflops('a100-80gb'),
    intraNodeGBps: 300,
    interNodeGBps: 25,
    gpusPerNode: 8,
    source: 'NVIDIA A100 datasheet: 40 GB HBM2, 312 TFLOP/s dense BF16, NVLink 600 GB/s',
  },
  {
    id: 'rtx4090-24',
    name: 'RTX 4090 24 GB',
    memoryGB: 24,
    bf16Tflops: tflops('rtx-4090'),
    // No NVLink: GPUs in one box talk over PCIe 4.0 x16 (~32 GB/s each way, less in practice);
    // between boxes, a 100 Gb/s Ethernet card per GPU at best (12.5 GB/s).
    intraNodeGBps: 32,
    interNodeGBps: 12.5,
    gpusPerNode: 8,
    source: 'NVIDIA Ada whitepaper: 24 GB GDDR6X, 165 TFLOP/s dense BF16; PCIe 4.0 x16',
  },
];

export function findGpu(id: string): ClusterGpu | undefined {
  return CLUSTER_GPUS.find((g) => g.id === id);
}
