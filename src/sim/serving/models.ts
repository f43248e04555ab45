import type { ModelProfile } from '../kvcache/costModel';

/**
 * Model shapes and GPU datasheet peaks, turned into the KV-cache engine's roofline cost model
 * (ModelProfile, src/sim/kvcache/costModel.ts). Peaks are vendor datasheet figures, not
 * measurements: real kernels reach roughly 60–80% of them, so every latency here is a lower bound
 * a real server approaches, and the UI labels it "simulated (roofline from datasheet peaks)".
 */
export interface GpuSpec {
  name: string;
  /** HBM (or GDDR) capacity in bytes. */
  memBytes: number;
  /** Datasheet peak memory bandwidth, bytes/s. */
  memBytesPerS: number;
  /** Datasheet peak dense fp16/bf16 tensor throughput, FLOP/s (no sparsity). */
  flopsPerS: number;
  source: string;
}

export const GPUS = {
  'a100-80': { name: 'A100 80GB SXM', memBytes: 80 * 2 ** 30, memBytesPerS: 2.039e12, flopsPerS: 312e12, source: 'NVIDIA A100 datasheet' },
  h100: { name: 'H100 SXM 80GB', memBytes: 80 * 2 ** 30, memBytesPerS: 3.35e12, flopsPerS: 989e12, source: 'NVIDIA H100 datasheet' },
  h200: { name: 'H200 SXM 141GB', memBytes: 141e9, memBytesPerS: 4.8e12, flopsPerS: 989e12, source: 'NVIDIA H200 datasheet' },
  l4: { name: 'L4 24GB', memBytes: 24e9, memBytesPerS: 300e9, flopsPerS: 121e12, source: 'NVIDIA L4 datasheet' },
} as const satisfies Record<string, GpuSpec>;
export type GpuId = keyof typeof GPUS;

export interface ModelShape {
  name: string;
  params: number;
  layers: number;
  /** Key/value heads (fewer than query heads with grouped-query attention). */
  kvHeads: number;
  headDim: number;
  /** Bytes per weight and per cached value (fp16/bf16 = 2). */
  bytes: number;
}

export const MODELS = {
  'llama2-7b': { name: 'Llama-2-7B (MHA)', params: 6.74e9, layers: 32, kvHeads: 32, headDim: 128, bytes: 2 },
  'llama3-8b': { name: 'Llama-3-8B (GQA)', params: 8.03e9, layers: 32, kvHeads: 8, headDim: 128, bytes: 2 },
  'llama3-70b': { name: 'Llama-3-70B (GQA)', params: 70.6e9, layers: 80, kvHeads: 8, headDim: 128, bytes: 2 },
} as const satisfies Record<string, ModelShape>;
export type ModelId = keyof typeof MODELS;

/** vLLM's default gpu_memory_utilization: the share of GPU memory the engine may use. */
export const MEMORY_UTILIZATION = 0.9;
/** At least this share of the engine's memory must be left for the KV cache, or we add GPUs. */
const MIN_KV_SHARE = 0.25;
export const BLOCK_SIZE = 16;

export interface Replica {
  model: ModelShape;
  gpu: GpuSpec;
  /** GPUs per replica (tensor parallel degree, a power of two). */
  tp: number;
  profile: ModelProfile;
  kvBytes: number;
  numBlocks: number;
  blockSize: number;
}

export function kvBytesPerToken(m: ModelShape): number {
  return 2 * m.layers * m.kvHeads * m.headDim * m.bytes;
}

/**
 * One serving replica: the fewest GPUs (power of two, up to 8) whose memory holds the weights with
 * a quarter left for KV. Tensor parallelism is modelled as ideal (bandwidth and FLOP/s add up, no
 * all-reduce cost), which flatters multi-GPU replicas; the UI says so.
 */
export function replicaFor(modelId: ModelId, gpuId: GpuId, blockSize = BLOCK_SIZE): Replica {
  const model = MODELS[modelId];
  const gpu = GPUS[gpuId];
  if (!model) throw new RangeError(`Unknown model "${modelId}"; choose one of ${Object.keys(MODELS).join(', ')}.`);
  if (!gpu) throw new RangeError(`Unknown GPU "${gpuId}"; choose one of ${Object.keys(GPUS).join(', ')}.`);
  const weightBytes = model.params * model.bytes;
  let tp = 1;
  while (tp <= 8 && weightBytes > (1 - MIN_KV_SHARE) * MEMORY_UTILIZATION * gpu.memBytes * tp) tp *= 2;
  if (tp > 8) throw new RangeError(`${model.name} does not fit on 8 × ${gpu.name}.`);
  const kvBytes = MEMORY_UTILIZATION * gpu.memBytes * tp - weightBytes;
  const perToken = kvBytesPerToken(model);
  const profile: ModelProfile = {
    name: `${model.name} on ${tp > 1 ? `${tp} × ` : ''}${gpu.name} (datasheet peaks)`,
    params: model.params,
    weightBytes,
    kvBytesPerToken: perToken,
    memBytesPerS: gpu.memBytesPerS * tp,
    flopsPerS: gpu.flopsPerS * tp,
    swapBytesPerS: 25e9,
    overheadS: 0.5e-3,
  };
  return { model, gpu, tp, profile, kvBytes, numBlocks: Math.floor(kvBytes / (perToken * blockSize)), blockSize };
}
