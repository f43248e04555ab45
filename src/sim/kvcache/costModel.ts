import { measuredStepSeconds, type MeasuredModelCost } from '../serving/measured';

/**
 * A roofline-style cost of one model step, so the simulator can turn steps into seconds.
 * Decode is memory-bound: each step streams all weights once plus every running sequence's K/V.
 * Prefill is compute-bound: about 2 FLOPs per parameter per prompt token.
 * Figures: a 7B-parameter fp16 model (LLaMA-7B shape: 32 layers, 4096 hidden, full multi-head attention,
 * so 512 KiB of K/V per token; grouped-query models such as Mistral-7B need a quarter of that) on an
 * A100-80GB. Its rates are round figures for the datasheet PEAKS (2,039 GB/s HBM2e, 312 TFLOP/s fp16
 * dense), not achievable rates, so modelled step times are optimistic; PCIe 4 x16 for swapping.
 */
export interface ModelProfile {
  name: string;
  params: number;
  weightBytes: number;
  /** K and V for every layer: 2 x layers x hidden x bytes per value. */
  kvBytesPerToken: number;
  memBytesPerS: number;
  flopsPerS: number;
  /** Host link for swapping KV blocks to CPU memory. */
  swapBytesPerS: number;
  /** Launch and scheduling overhead per step. */
  overheadS: number;
  /** A replica split over several GPUs by tensor parallelism pays its all-reduces every step. */
  tensorParallel?: TensorParallelCost;
  /** Step times measured on a real model (the Serve lab): when present they replace the roofline. */
  measured?: MeasuredModelCost;
}

/**
 * Megatron-style tensor parallelism (Shoeybi et al. 2019, §3): each layer ends its attention and
 * its MLP with an all-reduce of the activations, two per layer per forward. A ring all-reduce sends
 * 2(t−1)/t of the data from every GPU (Patarasuk & Yuan 2009), here tokens × hidden × bytes, over
 * the GPU's link, plus a fixed latency per all-reduce; it sits on the critical path (no overlap).
 */
export interface TensorParallelCost {
  degree: number;
  layers: number;
  hidden: number;
  /** Bytes per activation value (2 for fp16/bf16). */
  bytesPerValue: number;
  /** Per-GPU, per-direction bandwidth of the link between the replica's GPUs, bytes/s. */
  linkBytesPerS: number;
  /** Latency of one all-reduce (its 2(t−1) ring steps), seconds. */
  latencyS: number;
}

/** All-reduces per layer per forward pass in Megatron tensor parallelism (after attention, after the MLP). */
export const ALL_REDUCES_PER_LAYER = 2;

/** Seconds a step of `tokens` tokens spends in tensor-parallel all-reduces. */
export function tpAllReduceSeconds(tokens: number, tp: TensorParallelCost | undefined): number {
  if (!tp || tp.degree <= 1 || tokens <= 0) return 0;
  const bytesPerGpu = ((2 * (tp.degree - 1)) / tp.degree) * tokens * tp.hidden * tp.bytesPerValue;
  return ALL_REDUCES_PER_LAYER * tp.layers * (bytesPerGpu / tp.linkBytesPerS + tp.latencyS);
}

export const LLAMA7B_A100: ModelProfile = {
  name: 'LLaMA-7B fp16 on an A100-80GB at datasheet peak rates (modelled)',
  params: 6.7e9,
  weightBytes: 13.4e9,
  kvBytesPerToken: 2 * 32 * 4096 * 2,
  /** A100-80GB datasheet peak, 2,039 GB/s, rounded: not an achievable rate. */
  memBytesPerS: 2.0e12,
  /** A100 fp16/bf16 dense datasheet peak, 312 TFLOP/s, rounded: not an achievable rate. */
  flopsPerS: 3.0e14,
  swapBytesPerS: 25e9,
  overheadS: 0.5e-3,
};

export interface StepWork {
  prefillTokens: number;
  decodeTokens: number;
  /** K/V tokens read by this step's attention (the context of every decoding sequence). */
  contextTokens: number;
  /** KV blocks copied between GPU and CPU this step. */
  swapTokens: number;
}

export function stepSeconds(w: StepWork, m: ModelProfile = LLAMA7B_A100): number {
  if (m.measured) return measuredStepSeconds(w, m.measured);
  if (w.prefillTokens + w.decodeTokens === 0 && w.swapTokens === 0) return 0;
  const memory = (m.weightBytes + w.contextTokens * m.kvBytesPerToken) / m.memBytesPerS;
  const compute = (2 * m.params * (w.prefillTokens + w.decodeTokens)) / m.flopsPerS;
  const swap = (w.swapTokens * m.kvBytesPerToken) / m.swapBytesPerS;
  return (
    m.overheadS +
    Math.max(memory, compute) +
    swap +
    tpAllReduceSeconds(w.prefillTokens + w.decodeTokens, m.tensorParallel)
  );
}

/** Blocks of `blockSize` tokens that fit in `gib` GiB of KV memory. */
export function blocksForGiB(gib: number, blockSize: number, m: ModelProfile = LLAMA7B_A100): number {
  return Math.floor((gib * 2 ** 30) / (m.kvBytesPerToken * blockSize));
}

export function gibForBlocks(blocks: number, blockSize: number, m: ModelProfile = LLAMA7B_A100): number {
  return (blocks * blockSize * m.kvBytesPerToken) / 2 ** 30;
}
