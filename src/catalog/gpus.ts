/**
 * Accelerators, from their vendors' datasheets. Throughputs are dense (no 2:4 sparsity), the
 * figure a dense transformer can reach; datasheets headline the sparse figure, twice as large.
 * Peaks are every unit busy every cycle: real kernels reach roughly 60–80 % of them, so every
 * time computed from them is a lower bound, and the labs say so.
 *
 * Units: GB and GB/s are 10^9; FLOP/s are TFLOP/s (10^12). Link bandwidths are per GPU and per
 * direction (NVIDIA's "900 GB/s NVLink" is both directions together, 450 each way).
 */
export interface GpuSpec {
  id: string;
  name: string;
  vendor: 'NVIDIA' | 'AMD' | 'Apple' | 'Intel';
  /** Memory capacity as the datasheet states it, GB. */
  memoryGB: number;
  /** The same capacity in bytes: HBM2/HBM3 and GDDR6X parts whose "80 GB" is 80 GiB are counted as GiB. */
  memoryBytes: number;
  memoryKind: string;
  /** Peak memory bandwidth, GB/s. */
  bandwidthGBps: number;
  /** FP32 on the ordinary (non-tensor) cores, TFLOP/s. */
  fp32Tflops: number;
  /** BF16 on matrix units, dense, FP32 accumulate; null where none is published. */
  bf16Tflops: number | null;
  /** FP8 on matrix units, dense; null where the part has none. */
  fp8Tflops: number | null;
  /** Per-GPU, per-direction bandwidth to the other GPUs of its node, GB/s. */
  linkGBps: number;
  /** What that link is. */
  link: string;
  /** The usual per-GPU network to other nodes, per direction, GB/s (a 400 Gb/s NIC = 50 GB/s). */
  networkGBps: number;
  /** GPUs in one node of the usual server (1 for a laptop). */
  gpusPerNode: number;
  /** USD per GPU-hour; an indicative on-demand cloud rate the user replaces with their own. */
  pricePerHour: number;
  /** Where every figure above comes from. */
  source: string;
  /** Ids earlier versions of the labs used for this GPU, still accepted in links. */
  aliases?: readonly string[];
}

const GiB = 2 ** 30;

/** Where the default prices come from: they are a starting point, not a quote. */
export const PRICE_NOTE =
  'Indicative on-demand price per GPU-hour from public cloud price lists (2025; e.g. Lambda, RunPod, Google Cloud); set your own.';

export const GPUS: readonly GpuSpec[] = [
  {
    id: 'h100-sxm',
    name: 'H100 SXM 80 GB',
    vendor: 'NVIDIA',
    memoryGB: 80,
    memoryBytes: 80 * GiB,
    memoryKind: 'HBM3',
    bandwidthGBps: 3350,
    fp32Tflops: 67,
    bf16Tflops: 989.5,
    fp8Tflops: 1979,
    linkGBps: 450,
    link: 'NVLink 4 (900 GB/s both ways)',
    networkGBps: 50,
    gpusPerNode: 8,
    pricePerHour: 2.99,
    source:
      'NVIDIA H100 Tensor Core GPU datasheet, SXM column (BF16 1,979 and FP8 3,958 TFLOPS with sparsity); DGX H100: one 400 Gb/s ConnectX-7 per GPU',
    aliases: ['h100-80', 'h100'],
  },
  {
    id: 'h100-pcie',
    name: 'H100 PCIe 80 GB',
    vendor: 'NVIDIA',
    memoryGB: 80,
    memoryBytes: 80 * GiB,
    memoryKind: 'HBM2e',
    bandwidthGBps: 2000,
    fp32Tflops: 51,
    bf16Tflops: 756,
    fp8Tflops: 1513,
    linkGBps: 64,
    link: 'PCIe Gen5 x16 (an NVLink bridge joins pairs only)',
    networkGBps: 25,
    gpusPerNode: 8,
    pricePerHour: 2.49,
    source: 'NVIDIA H100 Tensor Core GPU datasheet, PCIe column (BF16 1,513 and FP8 3,026 TFLOPS with sparsity)',
  },
  {
    id: 'h200',
    name: 'H200 SXM 141 GB',
    vendor: 'NVIDIA',
    memoryGB: 141,
    memoryBytes: 141e9,
    memoryKind: 'HBM3e',
    bandwidthGBps: 4800,
    fp32Tflops: 67,
    bf16Tflops: 989.5,
    fp8Tflops: 1979,
    linkGBps: 450,
    link: 'NVLink 4 (900 GB/s both ways)',
    networkGBps: 50,
    gpusPerNode: 8,
    pricePerHour: 3.79,
    source: 'NVIDIA H200 Tensor Core GPU datasheet, SXM column (same compute as H100 SXM; 141 GB at 4.8 TB/s)',
    aliases: ['h200-141'],
  },
  {
    id: 'b200',
    name: 'B200 180 GB',
    vendor: 'NVIDIA',
    memoryGB: 180,
    memoryBytes: 180e9,
    memoryKind: 'HBM3e',
    bandwidthGBps: 8000,
    fp32Tflops: 75,
    bf16Tflops: 2250,
    fp8Tflops: 4500,
    linkGBps: 900,
    link: 'NVLink 5 (1.8 TB/s both ways)',
    networkGBps: 50,
    gpusPerNode: 8,
    pricePerHour: 4.99,
    source:
      'NVIDIA HGX B200 specifications (8 GPUs: 1,440 GB, 64 TB/s, FP8 72 and BF16 36 PFLOPS with sparsity, FP32 600 TFLOPS; NVLink 5 1.8 TB/s per GPU), divided by 8, tensor figures halved for dense',
  },
  {
    id: 'a100-80',
    name: 'A100 SXM 80 GB',
    vendor: 'NVIDIA',
    memoryGB: 80,
    memoryBytes: 80 * GiB,
    memoryKind: 'HBM2e',
    bandwidthGBps: 2039,
    fp32Tflops: 19.5,
    bf16Tflops: 312,
    fp8Tflops: null,
    linkGBps: 300,
    link: 'NVLink 3 (600 GB/s both ways)',
    networkGBps: 25,
    gpusPerNode: 8,
    pricePerHour: 1.79,
    source: 'NVIDIA A100 Tensor Core GPU datasheet, 80GB SXM column; DGX A100: one 200 Gb/s HDR InfiniBand per GPU',
    aliases: ['a100-80gb'],
  },
  {
    id: 'a100-40',
    name: 'A100 SXM 40 GB',
    vendor: 'NVIDIA',
    memoryGB: 40,
    memoryBytes: 40 * GiB,
    memoryKind: 'HBM2',
    bandwidthGBps: 1555,
    fp32Tflops: 19.5,
    bf16Tflops: 312,
    fp8Tflops: null,
    linkGBps: 300,
    link: 'NVLink 3 (600 GB/s both ways)',
    networkGBps: 25,
    gpusPerNode: 8,
    pricePerHour: 1.29,
    source: 'NVIDIA A100 Tensor Core GPU datasheet, 40GB SXM column',
  },
  {
    id: 'l4',
    name: 'L4 24 GB',
    vendor: 'NVIDIA',
    memoryGB: 24,
    memoryBytes: 24e9,
    memoryKind: 'GDDR6',
    bandwidthGBps: 300,
    fp32Tflops: 30.3,
    bf16Tflops: 121,
    fp8Tflops: 242.5,
    linkGBps: 32,
    link: 'PCIe Gen4 x16',
    networkGBps: 12.5,
    gpusPerNode: 8,
    pricePerHour: 0.8,
    source: 'NVIDIA L4 Tensor Core GPU datasheet (BF16 242 and FP8 485 TFLOPS with sparsity)',
  },
  {
    id: 'l40s',
    name: 'L40S 48 GB',
    vendor: 'NVIDIA',
    memoryGB: 48,
    memoryBytes: 48e9,
    memoryKind: 'GDDR6',
    bandwidthGBps: 864,
    fp32Tflops: 91.6,
    bf16Tflops: 362.05,
    fp8Tflops: 733,
    linkGBps: 32,
    link: 'PCIe Gen4 x16',
    networkGBps: 12.5,
    gpusPerNode: 8,
    pricePerHour: 1.03,
    source: 'NVIDIA L40S GPU datasheet (BF16 733 and FP8 1,466 TFLOPS with sparsity)',
  },
  {
    id: 'mi300x',
    name: 'MI300X 192 GB',
    vendor: 'AMD',
    memoryGB: 192,
    memoryBytes: 192e9,
    memoryKind: 'HBM3',
    bandwidthGBps: 5300,
    fp32Tflops: 163.4,
    bf16Tflops: 1307.4,
    fp8Tflops: 2614.9,
    linkGBps: 448,
    link: 'Infinity Fabric, 7 links × 64 GB/s each way (896 GB/s both ways)',
    networkGBps: 50,
    gpusPerNode: 8,
    pricePerHour: 2.5,
    source: 'AMD Instinct MI300X data sheet (dense BF16 1,307.4 and FP8 2,614.9 TFLOPS; 896 GB/s peer Infinity Fabric)',
  },
  {
    id: 'rtx-4090',
    name: 'RTX 4090 24 GB',
    vendor: 'NVIDIA',
    memoryGB: 24,
    memoryBytes: 24 * GiB,
    memoryKind: 'GDDR6X',
    bandwidthGBps: 1008,
    fp32Tflops: 82.6,
    bf16Tflops: 165.2,
    fp8Tflops: 330.3,
    // No NVLink: GPUs in one box talk over PCIe 4.0 x16; between boxes, a 100 Gb/s card at best.
    linkGBps: 32,
    link: 'PCIe Gen4 x16 (no NVLink)',
    networkGBps: 12.5,
    gpusPerNode: 8,
    pricePerHour: 0.69,
    source:
      'NVIDIA Ada GPU Architecture whitepaper, Appendix A, GeForce RTX 4090 (BF16 and FP8 with FP32 accumulate, dense)',
    aliases: ['rtx4090-24'],
  },
  {
    id: 'apple-m2',
    name: 'Apple M2 (10-core GPU)',
    vendor: 'Apple',
    memoryGB: 24,
    memoryBytes: 24e9,
    memoryKind: 'LPDDR5 unified (largest configuration)',
    bandwidthGBps: 100,
    // Derived, not published: 10 cores × 128 FP32 lanes × 2 FLOPs per FMA × 1.398 GHz (the clock
    // third-party measurements report; Apple publishes none).
    fp32Tflops: 3.579,
    bf16Tflops: null,
    fp8Tflops: null,
    linkGBps: 0,
    link: 'none (one GPU)',
    networkGBps: 0,
    gpusPerNode: 1,
    pricePerHour: 0,
    source:
      'Apple Newsroom, "Apple unveils M2", 6 June 2022 (100 GB/s, up to 24 GB); FP32 peak derived: 10 cores × 128 lanes × 2 FLOPs × 1.398 GHz',
  },
  {
    id: 'iris-xe',
    name: 'Intel Iris Xe (i7-1165G7)',
    vendor: 'Intel',
    memoryGB: 16,
    memoryBytes: 16e9,
    memoryKind: 'LPDDR4x shared with the CPU',
    bandwidthGBps: 68.3,
    // 96 EUs × 8 FP32 lanes × 2 FLOPs per FMA × 1.30 GHz; LPDDR4x-4266 on 2 × 64-bit channels.
    fp32Tflops: 1.997,
    bf16Tflops: null,
    fp8Tflops: null,
    linkGBps: 0,
    link: 'none (one GPU)',
    networkGBps: 0,
    gpusPerNode: 1,
    pricePerHour: 0,
    source: 'Intel ARK, Core i7-1165G7 (96 EU, 1.30 GHz, LPDDR4x-4266 dual channel); peaks derived',
  },
];

export function findGpu(id: string): GpuSpec | undefined {
  return GPUS.find((g) => g.id === id || g.aliases?.includes(id));
}

/** Old id → catalog id, for the labs whose links used the old ids. */
export function gpuAliases(): Record<string, string> {
  return Object.fromEntries(GPUS.flatMap((g) => (g.aliases ?? []).map((a) => [a, g.id])));
}

/** GPUs a datacenter job runs on: those with a matrix-unit BF16 figure and a memory to plan against. */
export const DATACENTER_GPUS: readonly GpuSpec[] = GPUS.filter((g) => g.bf16Tflops !== null);
