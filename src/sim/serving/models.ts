import { archOf, type ModelArch } from '../../catalog/config';
import { findGpu, GPUS as CATALOG_GPUS, type GpuSpec as CatalogGpu } from '../../catalog/gpus';
import { kvBytesPerToken as catalogKvBytes } from '../../catalog/kv';
import { findModel, MODELS as CATALOG_MODELS } from '../../catalog/models';
import { countParams } from '../../catalog/params';
import { LATENCY_S } from '../cluster/stepTime';
import { WEIGHT_FORMATS, type WeightFormat } from '../../catalog/formats';
import type { ModelProfile, TensorParallelCost } from '../kvcache/costModel';

export { WEIGHT_FORMATS, type WeightFormat } from '../../catalog/formats';

/**
 * Catalog models and GPUs (src/catalog) turned into the KV-cache engine's roofline cost model
 * (ModelProfile, src/sim/kvcache/costModel.ts). Peaks are vendor datasheet figures, not
 * measurements: real kernels reach roughly 60–80% of them, so every latency here is a lower bound
 * a real server approaches, and the UI labels it "simulated (roofline from datasheet peaks)".
 */
export interface GpuSpec {
  id: string;
  name: string;
  /** HBM (or GDDR) capacity in bytes. */
  memBytes: number;
  /** Datasheet peak memory bandwidth, bytes/s. */
  memBytesPerS: number;
  /** Datasheet peak dense fp16/bf16 tensor throughput, FLOP/s (no sparsity). */
  flopsPerS: number;
  /** Datasheet peak dense FP8 tensor throughput, FLOP/s; null where the GPU has no FP8 units (A100). */
  fp8FlopsPerS: number | null;
  /** Per-direction bandwidth between GPUs of a node, bytes/s, and what the link is. */
  linkBytesPerS: number;
  link: string;
  source: string;
}

export interface ModelShape {
  name: string;
  /** Total parameters: every one is read by a decode step (an MoE batch touches every expert). */
  params: number;
  /** Parameters one token computes with (MoE: its routed experts): 2 FLOPs each per token. */
  activeParams: number;
  /** Those the matmuls read (no input-embedding lookup): 2 × this is the forward FLOPs per token. */
  activeMatmulParams: number;
  /**
   * Σ over layers of heads × (query/key head dim + value head dim): a causal prefill of P tokens
   * spends this × P² FLOPs in QKᵀ and AV (prefill.ts).
   */
  attentionWidth: number;
  layers: number;
  hidden: number;
  /** Key/value heads (fewer than query heads with grouped-query attention). */
  kvHeads: number;
  headDim: number;
  attention: ModelArch['attention'];
  /** KV-cache bytes per token (MLA: the compressed latent). */
  kvBytesPerToken: number;
  /** Bytes per cached KV value and per activation value (fp16/bf16 = 2): the weight format leaves them 16-bit. */
  bytes: number;
  /** How the weights are stored (WEIGHT_FORMATS). */
  format: WeightFormat;
  /** Bytes per weight in that format, scales included. */
  weightBytesPerParam: number;
}

/** The peak the matmuls of a model in `format` run at on `gpu`, FLOP/s, and which peak it is. */
export function matmulPeak(gpu: GpuSpec, format: WeightFormat): { flopsPerS: number; peak: 'bf16' | 'fp8' } {
  if (WEIGHT_FORMATS[format].compute === 'fp8' && gpu.fp8FlopsPerS !== null)
    return { flopsPerS: gpu.fp8FlopsPerS, peak: 'fp8' };
  return { flopsPerS: gpu.flopsPerS, peak: 'bf16' };
}

/** GPUs a server runs on: the catalog's, where a matrix-unit BF16 peak is published. */
export const GPUS: readonly GpuSpec[] = CATALOG_GPUS.filter((g) => g.bf16Tflops !== null && g.gpusPerNode > 1).map(
  servingGpuOf,
);

export function servingGpuOf(g: CatalogGpu): GpuSpec {
  return {
    id: g.id,
    name: g.name,
    memBytes: g.memoryBytes,
    memBytesPerS: g.bandwidthGBps * 1e9,
    flopsPerS: (g.bf16Tflops ?? g.fp32Tflops) * 1e12,
    fp8FlopsPerS: g.fp8Tflops !== null ? g.fp8Tflops * 1e12 : null,
    linkBytesPerS: g.linkGBps * 1e9,
    link: g.link,
    source: g.source.split(/[(;]/)[0].trim(),
  };
}

export function servingModelOf(name: string, arch: ModelArch, format: WeightFormat = 'bf16', bytes = 2): ModelShape {
  const c = countParams(arch);
  return {
    name,
    params: c.total,
    activeParams: c.active,
    activeMatmulParams: c.activeMatmul,
    attentionWidth: arch.layers * arch.heads * (arch.headDim + arch.vHeadDim),
    layers: arch.layers,
    hidden: arch.hidden,
    kvHeads: arch.kvHeads,
    headDim: arch.headDim,
    attention: arch.attention,
    kvBytesPerToken: catalogKvBytes(arch, bytes),
    bytes,
    format,
    weightBytesPerParam: WEIGHT_FORMATS[format].bytesPerWeight,
  };
}

/** Every catalog model, as served in 16-bit weights (the format is a separate choice: replicaFor). */
export const MODELS: readonly (ModelShape & { id: string })[] = CATALOG_MODELS.map((m) => ({
  id: m.id,
  ...servingModelOf(m.name, archOf(m.config)),
}));

/** vLLM's default gpu_memory_utilization: the share of GPU memory the engine may use. */
export const MEMORY_UTILIZATION = 0.9;
/** At least this share of the engine's memory must be left for the KV cache, or we add GPUs. */
const MIN_KV_SHARE = 0.25;
export const BLOCK_SIZE = 16;
/** Largest tensor-parallel group: one 8-GPU node (TP across nodes is not done in practice). */
export const MAX_TP = 8;

export interface Replica {
  model: ModelShape;
  gpu: GpuSpec;
  /** GPUs per replica (tensor parallel degree, a power of two). */
  tp: number;
  profile: ModelProfile;
  kvBytes: number;
  numBlocks: number;
  blockSize: number;
  /** Which matrix-unit peak the profile's FLOP/s are (FP8 weights on a GPU with FP8 units: 'fp8'). */
  matmulPeak: 'bf16' | 'fp8';
}

export function kvBytesPerToken(m: ModelShape): number {
  return m.kvBytesPerToken;
}

/** The per-layer all-reduce cost of a tensor-parallel replica (null for one GPU). */
export function tensorParallelCost(model: ModelShape, gpu: GpuSpec, tp: number): TensorParallelCost | null {
  if (tp <= 1) return null;
  return {
    degree: tp,
    layers: model.layers,
    hidden: model.hidden,
    bytesPerValue: model.bytes,
    linkBytesPerS: gpu.linkBytesPerS,
    // A ring all-reduce is 2(t−1) steps, each paying the link latency the cluster lab uses for NCCL rings.
    latencyS: 2 * (tp - 1) * LATENCY_S.intra,
  };
}

function resolveModel(model: string | ModelShape, format: WeightFormat): ModelShape {
  if (typeof model !== 'string') return model;
  const preset = findModel(model);
  if (!preset)
    throw new RangeError(`Unknown model "${model}"; choose one of ${CATALOG_MODELS.map((m) => m.id).join(', ')}.`);
  return servingModelOf(preset.name, archOf(preset.config), format);
}

/** The weights' bytes in their format: every parameter once (an MoE replica holds every expert). */
export function weightBytesOf(m: ModelShape): number {
  return m.params * m.weightBytesPerParam;
}

function resolveGpu(id: string): GpuSpec {
  const g = findGpu(id);
  const spec = g ? GPUS.find((s) => s.id === g.id) : undefined;
  if (!spec) throw new RangeError(`Unknown GPU "${id}"; choose one of ${GPUS.map((s) => s.id).join(', ')}.`);
  return spec;
}

/**
 * One serving replica: the fewest GPUs (power of two, up to 8) whose memory holds the weights with
 * a quarter left for KV. Tensor parallelism adds the GPUs' bandwidth and FLOP/s, and pays two
 * all-reduces of the activations per layer every step over the GPU's link (tensorParallelCost).
 * The weights take their format's bytes (a model given by id is served in `format`; a ModelShape
 * carries its own), and FP8 matmuls run at the GPU's FP8 peak (matmulPeak).
 */
export function replicaFor(
  modelId: string | ModelShape,
  gpuId: string,
  blockSize = BLOCK_SIZE,
  format: WeightFormat = 'bf16',
): Replica {
  const model = resolveModel(modelId, format);
  const gpu = resolveGpu(gpuId);
  const weightBytes = weightBytesOf(model);
  const fmt = WEIGHT_FORMATS[model.format];
  const peak = matmulPeak(gpu, model.format);
  let tp = 1;
  while (tp <= MAX_TP && weightBytes > (1 - MIN_KV_SHARE) * MEMORY_UTILIZATION * gpu.memBytes * tp) tp *= 2;
  if (tp > MAX_TP) {
    throw new RangeError(
      `${model.name} (${(weightBytes / 1e9).toFixed(0)} GB of ${fmt.label} weights) does not fit on ${MAX_TP} × ${gpu.name} with a quarter of memory left for the KV cache; pick a GPU with more memory, a smaller weight format or a smaller model (tensor parallelism across nodes is not modelled).`,
    );
  }
  const kvBytes = MEMORY_UTILIZATION * gpu.memBytes * tp - weightBytes;
  const perToken = model.kvBytesPerToken;
  const tensorParallel = tensorParallelCost(model, gpu, tp) ?? undefined;
  const profile: ModelProfile = {
    name: `${model.name} (${fmt.label} weights) on ${tp > 1 ? `${tp} × ` : ''}${gpu.name} (datasheet peaks)`,
    params: model.activeParams,
    weightBytes,
    kvBytesPerToken: perToken,
    memBytesPerS: gpu.memBytesPerS * tp,
    flopsPerS: peak.flopsPerS * tp,
    swapBytesPerS: 25e9,
    overheadS: 0.5e-3,
    ...(tensorParallel ? { tensorParallel } : {}),
  };
  return {
    model,
    gpu,
    tp,
    profile,
    kvBytes,
    numBlocks: Math.floor(kvBytes / (perToken * blockSize)),
    blockSize,
    matmulPeak: peak.peak,
  };
}
