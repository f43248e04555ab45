import { largestLayerParams, paramCount, type ModelShape } from './models';
import { expertSplit } from './moe';
import { dataParallel, ZERO_STAGE, type ParallelConfig, type Precision, type Strategy } from './parallel';

/**
 * Memory per GPU of a training job, by the closed forms the field uses:
 *  - model states, ZeRO (Rajbhandari et al. 2020, §5): mixed precision keeps 2Ψ bytes of fp16/bf16
 *    parameters, 2Ψ of gradients and KΨ of optimizer states (K = 12: fp32 master weights, Adam
 *    momentum and variance). Stage 1 divides KΨ by the data-parallel degree N_d, stage 2 also the
 *    gradients, stage 3 also the parameters: (2 + 2 + K)Ψ → 2Ψ + 2Ψ + KΨ/N_d → … → (2 + 2 + K)Ψ/N_d.
 *    With tensor/pipeline parallelism each GPU first holds Ψ/(t·p) and ZeRO shards that over N_d.
 *  - activations, Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large Transformer
 *    Models", Table 2): bytes per layer with 16-bit activations.
 */

/** Bytes per parameter of each model state for a precision (ZeRO paper §3.1 for mixed precision). */
export function stateBytes(precision: Precision): { params: number; grads: number; optimizer: number } {
  // fp32 training: 4-byte weights and gradients, Adam's two fp32 moments (K = 8).
  if (precision === 'fp32') return { params: 4, grads: 4, optimizer: 8 };
  // Mixed precision: 16-bit weights and gradients; fp32 master copy + momentum + variance (K = 12).
  return { params: 2, grads: 2, optimizer: 12 };
}

export interface ModelStates {
  params: number;
  grads: number;
  optimizer: number;
}

/**
 * Model-state bytes per GPU for Ψ parameters held by this GPU's model-parallel shard, sharded by ZeRO
 * over `nd` data-parallel ranks. This is exactly the ZeRO paper's (2 + 2 + K)Ψ arithmetic.
 */
export function zeroModelStates(psi: number, nd: number, strategy: Strategy, precision: Precision): ModelStates {
  const b = stateBytes(precision);
  const stage = ZERO_STAGE[strategy];
  return {
    params: (b.params * psi) / (stage >= 3 ? nd : 1),
    grads: (b.grads * psi) / (stage >= 2 ? nd : 1),
    optimizer: (b.optimizer * psi) / (stage >= 1 ? nd : 1),
  };
}

export interface ActivationInput {
  seq: number;
  hidden: number;
  heads: number;
  microBatch: number;
  tp: number;
  sp: boolean;
  recompute: ParallelConfig['recompute'];
}

/**
 * Activation bytes of one transformer layer for one micro-batch (Korthikanti et al. 2022, Table 2):
 *   no parallelism           s·b·h·(34 + 5·a·s/h)
 *   tensor parallel t        s·b·h·(10 + 24/t + 5·a·s/(h·t))
 *   + sequence parallel      s·b·h·(34/t + 5·a·s/(h·t))
 *   selective recompute      drops the 5·a·s/h attention-score term (recomputed in backward)
 *   full recompute           keeps only the layer input, 2·s·b·h (÷ t with sequence parallelism)
 */
export function activationBytesPerLayer(x: ActivationInput): number {
  const { seq: s, hidden: h, heads: a, microBatch: b, tp: t, sp } = x;
  const sbh = s * b * h;
  if (x.recompute === 'full') return (2 * sbh) / (sp ? t : 1);
  const scores = x.recompute === 'selective' ? 0 : (5 * a * s) / (h * t);
  const linear = sp ? 34 / t : 10 + 24 / t;
  return sbh * (linear + scores);
}

/** Micro-batches whose activations the first pipeline stage holds at its peak. */
export function inFlightMicroBatches(c: Pick<ParallelConfig, 'pp' | 'microBatches' | 'schedule' | 'chunks'>): number {
  if (c.pp === 1) return 1; // plain gradient accumulation frees each micro-batch after its backward
  if (c.schedule === 'gpipe') return c.microBatches; // all forwards run before any backward
  const oneF1B = Math.min(c.microBatches, c.pp); // 1F1B: stage 0 runs p forwards before its first backward
  // Interleaved 1F1B holds (1 + (p−1)/(p·v)) times as much (Korthikanti et al. 2022, the pipeline-parallel
  // part of their activation analysis), but never more than all m micro-batches (m = p: all warm-up).
  return c.schedule === 'interleaved'
    ? Math.min(c.microBatches, oneF1B * (1 + (c.pp - 1) / (c.pp * c.chunks)))
    : oneF1B;
}

export interface MemoryBreakdown {
  /** Total parameters Ψ of the model. */
  totalParams: number;
  /** Parameters in this GPU's tensor/pipeline shard, Ψ/(t·p), before ZeRO. */
  shardParams: number;
  dataParallel: number;
  /** Bytes on the GPU, by kind. */
  params: number;
  grads: number;
  optimizer: number;
  activations: number;
  buffers: number;
  total: number;
  /** Bytes moved to CPU memory by offload, per GPU. */
  cpu: number;
  /** Which of the first/last pipeline stage is the fuller one. */
  worstStage: 'first' | 'last' | 'only';
}

/**
 * Memory of the fullest GPU of a job. Layers are split evenly over pipeline stages (ceil), the
 * embedding is counted on every stage's share (Ψ/(t·p)), the last stage also keeps the fp32 logits
 * for the cross-entropy, 4·s·b·V/t bytes (Korthikanti et al. 2022, the output-layer term of their analysis). fp32 training stores
 * 4-byte activations, so their bytes double (an approximation: dropout masks stay 1 byte).
 */
export function memoryPerGpu(model: ModelShape, c: ParallelConfig): MemoryBreakdown {
  const totalParams = paramCount(model);
  const nd = dataParallel(c);
  const ep = c.ep ?? 1;
  const split = ep > 1 ? expertSplit(model) : null;
  let shardParams = totalParams / (c.tp * c.pp);
  let states = zeroModelStates(shardParams, nd, c.strategy, c.precision);
  if (split) {
    // Expert parallelism: each rank holds 1/e of the routed experts, and ZeRO shards those over the
    // N_d/e ranks that hold the same experts (DeepSpeed-MoE's expert-data-parallel group).
    const dense = zeroModelStates(split.denseParams / (c.tp * c.pp), nd, c.strategy, c.precision);
    const experts = zeroModelStates(split.routedExpertParams / (ep * c.tp * c.pp), nd / ep, c.strategy, c.precision);
    shardParams = (split.denseParams + split.routedExpertParams / ep) / (c.tp * c.pp);
    states = {
      params: dense.params + experts.params,
      grads: dense.grads + experts.grads,
      optimizer: dense.optimizer + experts.optimizer,
    };
  }
  const actScale = c.precision === 'fp32' ? 2 : 1;
  const perLayer =
    actScale *
    activationBytesPerLayer({ ...model, microBatch: c.microBatch, tp: c.tp, sp: c.sp, recompute: c.recompute });
  const layersPerStage = Math.ceil(model.layers / c.pp);
  const logits = (4 * model.seq * c.microBatch * model.vocab) / c.tp;
  const first = layersPerStage * inFlightMicroBatches(c) * perLayer;
  // The last stage finishes a micro-batch's forward and immediately runs its backward: one in flight.
  const last = (c.pp === 1 ? first : layersPerStage * perLayer) + logits;
  const worstStage = c.pp === 1 ? 'only' : first >= last ? 'first' : 'last';
  const activations = c.pp === 1 ? last : Math.max(first, last);

  // ZeRO-3 gathers each layer's full (t-sharded) parameters before using it and prefetches the next:
  // two layers of 16-bit (or fp32) weights live unsharded at a time.
  const buffers = c.strategy === 'zero3' ? (2 * largestLayerParams(model) * stateBytes(c.precision).params) / c.tp : 0;

  let { params, grads, optimizer } = states;
  let cpu = 0;
  if (c.offload !== 'none') {
    // ZeRO-Offload (Ren et al. 2021): optimizer states and the fp32 gradient partition live on the CPU,
    // which runs the Adam step; ZeRO-Infinity's parameter offload also moves the 16-bit weights.
    cpu += optimizer;
    optimizer = 0;
    if (ZERO_STAGE[c.strategy] >= 2) {
      cpu += grads;
      grads = 0;
    }
    if (c.offload === 'params') {
      cpu += params;
      params = 0;
    }
  }
  const total = params + grads + optimizer + activations + buffers;
  return {
    totalParams,
    shardParams,
    dataParallel: nd,
    params,
    grads,
    optimizer,
    activations,
    buffers,
    total,
    cpu,
    worstStage,
  };
}
