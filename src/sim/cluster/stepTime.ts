import { ringAllGatherBytes, ringAllReduceBytes, ringAllReduceSteps, ringReduceScatterBytes } from './collectives';
import type { ClusterGpu } from './gpus';
import { memoryPerGpu } from './memory';
import { expertAllToAll, paramsWithExperts } from './moe';
import { activeParamCount, paramCount, type ModelShape } from './models';
import { dataParallel, type ParallelConfig, type Schedule, type Strategy } from './parallel';

/**
 * Time of one optimizer step, as a model (not a measurement):
 *   compute   6·Ψ·tokens FLOPs (Kaplan et al. 2020; Narayanan et al. 2021) plus recompute
 *             (full: one more forward, 2·Ψ·tokens; selective: the attention scores, 4·b·s²·h per layer),
 *             at a chosen fraction of the GPU's dense peak, stretched by the pipeline bubble;
 *   network   ring collectives (bytes per rank 2(N−1)/N of the gradient for an all-reduce) over the
 *             intra-node link if the group fits in one node, else over the per-GPU network, plus a
 *             per-ring-step latency; overlap hides data-parallel traffic behind backward compute.
 */

/** Per-ring-step latency assumed for NCCL-style rings: a few µs in a node, ~10 µs across nodes. */
export const LATENCY_S = { intra: 3e-6, inter: 10e-6 } as const;

export interface StepInput {
  model: ModelShape;
  config: ParallelConfig;
  gpu: ClusterGpu;
  /** Fraction of dense peak the matmuls reach (0–1): what compute alone would run at. */
  efficiency: number;
  overlap: boolean;
  /** Overrides of the GPU preset's link bandwidths, GB/s per GPU per direction. */
  intraGBps?: number;
  interGBps?: number;
}

export interface CommPart {
  /** Bytes this GPU sends per step. */
  bytes: number;
  seconds: number;
  network: 'intra' | 'inter' | 'none';
  /** What the traffic is, in words. */
  what: string;
}

export interface StepTime {
  /** Tokens per optimizer step over the whole job. */
  tokens: number;
  /** 6·Ψ·tokens / GPUs: the FLOPs MFU counts. */
  modelFlopsPerGpu: number;
  /** Including recomputation. */
  hardwareFlopsPerGpu: number;
  /** Compute time without the pipeline bubble. */
  computeS: number;
  /** Idle pipeline time added to compute. */
  bubbleS: number;
  dp: CommPart;
  tp: CommPart;
  pp: CommPart;
  /** MoE expert-parallel all-to-all (dispatch + combine); 'none' for dense models or e = 1. */
  ep: CommPart;
  /** Communication not hidden behind compute. */
  exposedCommS: number;
  stepS: number;
  tokensPerS: number;
  /** Model FLOPs utilisation: 6·Ψ·tokens / (step time · GPUs · peak). */
  mfu: number;
}

/** TF32 tensor-core rate is half the BF16 rate on A100, H100 and Ada (their datasheets). */
export function peakFlops(gpu: ClusterGpu, precision: ParallelConfig['precision']): number {
  return gpu.bf16Tflops * 1e12 * (precision === 'fp32' ? 0.5 : 1);
}

/** Pipeline bubble relative to ideal compute (Narayanan et al. 2021, §2.2): (p−1)/m, or (1/v)·(p−1)/m interleaved. */
export function relativeBubble(pp: number, microBatches: number, schedule: Schedule, chunks: number): number {
  if (pp <= 1) return 0;
  return (pp - 1) / (microBatches * (schedule === 'interleaved' ? chunks : 1));
}

function part(
  bytes: number,
  steps: number,
  network: 'intra' | 'inter',
  bw: { intra: number; inter: number },
  what: string,
): CommPart {
  if (bytes === 0) return { bytes: 0, seconds: 0, network: 'none', what };
  return { bytes, seconds: bytes / (bw[network] * 1e9) + steps * LATENCY_S[network], network, what };
}

export function stepTime(x: StepInput): StepTime {
  const { model, config: c, gpu } = x;
  const bw = { intra: x.intraGBps ?? gpu.intraNodeGBps, inter: x.interGBps ?? gpu.interNodeGBps };
  const psi = paramCount(model);
  // FLOPs follow the parameters a token uses (an MoE token visits only its routed experts);
  // gradients and ZeRO traffic follow all of them.
  const psiActive = activeParamCount(model);
  const dp = dataParallel(c);
  const m = c.microBatches;
  const tokens = c.microBatch * model.seq * m * dp;
  const modelFlopsPerGpu = (6 * psiActive * tokens) / c.gpus;
  const sequences = c.microBatch * m * dp;
  const recomputeFlops =
    c.recompute === 'full'
      ? 2 * psiActive * tokens
      : c.recompute === 'selective'
        ? 4 * sequences * model.seq * model.seq * model.hidden * model.layers
        : 0;
  const hardwareFlopsPerGpu = modelFlopsPerGpu + recomputeFlops / c.gpus;
  const peak = peakFlops(gpu, c.precision);
  const computeS = hardwareFlopsPerGpu / (peak * x.efficiency);
  const bubbleS = computeS * relativeBubble(c.pp, m, c.schedule, c.chunks);

  // Data parallel: ring over N_d ranks; strided by t, so it stays in a node only if t·N_d fits.
  const shard = paramsWithExperts(model, psi, c.ep ?? 1) / (c.tp * c.pp);
  const wordBytes = c.precision === 'fp32' ? 4 : 2;
  const g = shard * wordBytes;
  const dpNet = c.tp * dp <= gpu.gpusPerNode ? 'intra' : 'inter';
  const rs = ringReduceScatterBytes(g, dp);
  const ag = ringAllGatherBytes(g, dp);
  const ringSteps = Math.max(0, dp - 1);
  let dpBytes: number;
  let dpSteps: number;
  let dpWhat: string;
  let perMicroBatch: boolean;
  switch (c.strategy as Strategy) {
    case 'ddp':
      dpBytes = ringAllReduceBytes(g, dp);
      dpSteps = ringAllReduceSteps(dp);
      dpWhat = 'all-reduce of gradients once per step: 2(N−1)/N · 2Ψ';
      perMicroBatch = false;
      break;
    case 'zero1':
      dpBytes = rs + ag;
      dpSteps = 2 * ringSteps;
      dpWhat = 'reduce-scatter gradients + all-gather updated parameters once per step: 2(N−1)/N · 2Ψ';
      perMicroBatch = false;
      break;
    case 'zero2':
      dpBytes = m * rs + ag;
      dpSteps = (m + 1) * ringSteps;
      dpWhat = 'reduce-scatter gradients every micro-batch + all-gather parameters once: (m+1)(N−1)/N · 2Ψ';
      perMicroBatch = true;
      break;
    default:
      dpBytes = m * (2 * ag + rs);
      dpSteps = 3 * m * ringSteps;
      dpWhat =
        'all-gather parameters for forward and for backward, reduce-scatter gradients, every micro-batch: 3(N−1)/N · 2Ψ each';
      perMicroBatch = true;
  }
  const dpPart = part(dpBytes, dpSteps, dpNet, bw, dpWhat);

  // Tensor parallel (Megatron): 2 all-reduces of the b·s·h activations in forward, 2 in backward,
  // per layer and micro-batch (2 more when full recompute re-runs the forward). Sequence parallelism
  // turns each into a reduce-scatter + all-gather: the same bytes.
  const layersPerStage = Math.ceil(model.layers / c.pp);
  const act = c.microBatch * model.seq * model.hidden * wordBytes;
  const tpCalls = c.tp > 1 ? layersPerStage * m * (c.recompute === 'full' ? 6 : 4) : 0;
  const tpNet = c.tp <= gpu.gpusPerNode ? 'intra' : 'inter';
  const tpPart = part(
    tpCalls * ringAllReduceBytes(act, c.tp),
    tpCalls * ringAllReduceSteps(c.tp),
    tpNet,
    bw,
    'all-reduce of activations: 4 per layer per micro-batch',
  );

  // Pipeline: each micro-batch's activation goes forward and its gradient back, once per model chunk.
  const ppNet = c.tp * dp * c.pp <= gpu.gpusPerNode ? 'intra' : 'inter';
  const ppSends = c.pp > 1 ? 2 * m * (c.schedule === 'interleaved' ? c.chunks : 1) : 0;
  const ppPart = part(
    (ppSends * act) / (c.sp ? c.tp : 1),
    ppSends,
    ppNet,
    bw,
    'send activations forward and gradients back at stage boundaries',
  );

  // Expert parallel: the e ranks of an expert group sit t apart in the data-parallel dimension.
  const a2a = expertAllToAll(model, c, c.ep ?? 1);
  const epNet = c.tp * (c.ep ?? 1) <= gpu.gpusPerNode ? 'intra' : 'inter';
  const epPart = a2a
    ? part(a2a.bytes, a2a.calls, epNet, bw, a2a.what)
    : { bytes: 0, seconds: 0, network: 'none' as const, what: 'no experts, or e = 1' };

  let exposedDp = dpPart.seconds;
  if (x.overlap && dpPart.seconds > 0) {
    const perMb = computeS / m;
    if (perMicroBatch) {
      // Each micro-batch's collectives run while that micro-batch computes.
      exposedDp = m * Math.max(0, dpPart.seconds / m - perMb);
    } else {
      // Gradient buckets are reduced while the last micro-batch's backward (2/3 of its compute) runs.
      exposedDp = Math.max(0, dpPart.seconds - (2 / 3) * perMb);
    }
  }
  const exposedCommS = exposedDp + tpPart.seconds + ppPart.seconds + epPart.seconds;
  const stepS = computeS + bubbleS + exposedCommS;
  return {
    tokens,
    modelFlopsPerGpu,
    hardwareFlopsPerGpu,
    computeS,
    bubbleS,
    dp: dpPart,
    tp: tpPart,
    pp: ppPart,
    ep: epPart,
    exposedCommS,
    stepS,
    tokensPerS: tokens / stepS,
    mfu: modelFlopsPerGpu / (stepS * peak),
  };
}

/**
 * Micro-batches per step for a global batch of `globalBatch` sequences: globalBatch / (b · N_d),
 * rounded up (and up to a multiple of p for the interleaved schedule). 0 when the data-parallel
 * replicas alone already need more sequences than the global batch has.
 */
export function microBatchesFor(
  globalBatch: number,
  c: Pick<ParallelConfig, 'gpus' | 'tp' | 'pp' | 'microBatch' | 'schedule'>,
): number {
  const perStep = c.microBatch * dataParallel(c);
  if (perStep > globalBatch) return 0;
  let m = Math.ceil(globalBatch / perStep);
  if (c.schedule === 'interleaved' && c.pp > 1) m = Math.ceil(m / c.pp) * c.pp;
  return m;
}

export interface ScalingPoint {
  gpus: number;
  strategy: Strategy;
  /** Null where the configuration cannot run; `reason` says why. */
  step: StepTime | null;
  memoryGB: number;
  fits: boolean;
  reason: 'ok' | 'memory' | 'batch';
}

export const STRATEGIES: readonly Strategy[] = ['ddp', 'zero1', 'zero2', 'zero3'];

/**
 * Strong scaling at a fixed global batch: for each GPU count (a multiple of t·p) and each strategy,
 * the step time, MFU and whether the job fits in memory. DDP's all-reduce sends ~2× the gradient
 * bytes per GPU whatever N is, while each GPU's share of the batch shrinks as 1/N, so past some N the
 * step is network-bound; and there the batch runs out (one micro-batch per replica).
 */
export function scalingCurve(
  base: Omit<StepInput, 'config'> & { config: ParallelConfig; globalBatch: number },
  counts: readonly number[],
): ScalingPoint[] {
  const out: ScalingPoint[] = [];
  const unit = base.config.tp * base.config.pp;
  for (const strategy of STRATEGIES) {
    for (const gpus of counts) {
      if (gpus % unit !== 0) continue;
      const offload =
        strategy === 'ddp'
          ? 'none'
          : strategy !== 'zero3' && base.config.offload === 'params'
            ? 'optimizer'
            : base.config.offload;
      const cfg0: ParallelConfig = { ...base.config, gpus, strategy, offload };
      const m = microBatchesFor(base.globalBatch, cfg0);
      const cfg = { ...cfg0, microBatches: Math.max(1, m) };
      const mem = memoryPerGpu(base.model, cfg);
      const memoryGB = mem.total / 1e9;
      const fits = memoryGB <= base.gpu.memoryGB;
      if (m === 0) {
        out.push({ gpus, strategy, step: null, memoryGB, fits, reason: 'batch' });
        continue;
      }
      out.push({
        gpus,
        strategy,
        step: stepTime({ ...base, config: cfg }),
        memoryGB,
        fits,
        reason: fits ? 'ok' : 'memory',
      });
    }
  }
  return out;
}
