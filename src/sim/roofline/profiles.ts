/**
 * Published peak figures of reference hardware, for projecting a measured kernel onto a machine the
 * user does not have. These are datasheet peaks (every unit busy every cycle), or derived from
 * published unit counts and clocks where the vendor gives none (marked so); achievable rates are
 * typically 70–90 % of them, which is why the user's own roofs are measured instead.
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

export const PROFILES: readonly HardwareProfile[] = [
  {
    // NVIDIA H100 Tensor Core GPU datasheet (H100 SXM column): GPU memory bandwidth 3.35 TB/s (HBM3),
    // FP32 67 TFLOPS, BF16 Tensor Core 1,979 TFLOPS "with sparsity", i.e. 989.5 TFLOPS dense.
    id: 'h100-sxm',
    name: 'NVIDIA H100 SXM',
    note: 'HBM3, datacenter (NVIDIA H100 datasheet)',
    bandwidthGBps: 3350,
    fp32Gflops: 67_000,
    bf16Gflops: 989_500,
    source: 'NVIDIA H100 Tensor Core GPU datasheet, H100 SXM column',
  },
  {
    // NVIDIA A100 Tensor Core GPU datasheet (A100 80GB SXM column): GPU memory bandwidth 2,039 GB/s
    // (HBM2e), FP32 19.5 TFLOPS, BF16 Tensor Core 312 TFLOPS dense (624 with sparsity).
    id: 'a100-80gb',
    name: 'NVIDIA A100 80GB SXM',
    note: 'HBM2e, datacenter (NVIDIA A100 datasheet)',
    bandwidthGBps: 2039,
    fp32Gflops: 19_500,
    bf16Gflops: 312_000,
    source: 'NVIDIA A100 Tensor Core GPU datasheet, A100 80GB SXM column',
  },
  {
    // NVIDIA Ada GPU architecture whitepaper, GeForce RTX 4090 specification table: memory bandwidth
    // 1,008 GB/s (GDDR6X, 384-bit, 21 Gbps), peak FP32 82.6 TFLOPS, peak BF16 Tensor TFLOPS with FP32
    // accumulate 165.2 dense (330.4 with sparsity).
    id: 'rtx-4090',
    name: 'NVIDIA GeForce RTX 4090',
    note: 'GDDR6X, desktop (NVIDIA Ada architecture whitepaper)',
    bandwidthGBps: 1008,
    fp32Gflops: 82_600,
    bf16Gflops: 165_200,
    source: 'NVIDIA Ada GPU Architecture whitepaper, Appendix A (GeForce RTX 4090)',
  },
  {
    // Bandwidth from the Apple M2 press release (apple.com/newsroom, June 2022): 100 GB/s unified memory
    // (LPDDR5). The FP32 peak is derived, not published: 10 GPU cores x 128 FP32 lanes x 2 FLOPs per FMA
    // x 1.398 GHz (the GPU clock as third-party measurements report it; Apple publishes no clock)
    // = 3,579 GFLOP/s, the figure usually quoted as 3.6 TFLOPS. Apple publishes no BF16 matrix-unit figure for the GPU.
    id: 'apple-m2',
    name: 'Apple M2 (10-core GPU)',
    note: 'LPDDR5 unified memory, laptop/desktop (bandwidth from the Apple M2 announcement; FP32 peak derived)',
    bandwidthGBps: 100,
    fp32Gflops: 3_579,
    bf16Gflops: null,
    source: 'Apple Newsroom, “Apple unveils M2”, 6 June 2022 (100 GB/s); FP32 peak derived: 10 cores × 128 lanes × 2 FLOPs × 1.398 GHz = 3.58 TFLOP/s',
  },
  {
    // Intel Core i7-1165G7 (Iris Xe, 96 EUs), figures derived from the published specifications on
    // ark.intel.com: graphics max frequency 1.30 GHz; 96 EUs x 8 FP32 lanes x 2 FLOPs per FMA x 1.30 GHz
    // = 1,997 GFLOP/s; LPDDR4x-4266 on 2 x 64-bit channels = 4266 MT/s x 16 B = 68.3 GB/s.
    // Xe-LP has no matrix (XMX) units, so there is no BF16 tensor figure.
    id: 'iris-xe',
    name: 'Intel Iris Xe (i7-1165G7)',
    note: 'LPDDR4x shared with the CPU, thin-and-light laptop (derived from Intel ARK specs)',
    bandwidthGBps: 68.3,
    fp32Gflops: 1_997,
    bf16Gflops: null,
    source: 'Intel ARK, Core i7-1165G7 (96 EU, 1.30 GHz, LPDDR4x-4266 dual channel); peak derived',
  },
];

export function findProfile(id: string): HardwareProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}
