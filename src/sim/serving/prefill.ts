import { tpAllReduceSeconds } from '../kvcache/costModel';
import type { Replica } from './models';

/**
 * The model-FLOPs utilisation a prefill is assumed to reach: a prompt of thousands of tokens makes
 * every projection a large GEMM that runs near the tensor cores' roofline, but attention, norms,
 * launches and the all-reduces keep the whole pass well under the peak. Half the dense peak is an
 * assumption the planner states beside every figure it feeds, not a measurement.
 */
export const PREFILL_MFU = 0.5;

export interface PrefillCost {
  prompt: number;
  /** 2 · active matmul parameters · prompt: every token through every projection it is routed to. */
  matmulFlops: number;
  /** Σ_layers heads · (d_qk + d_v) · prompt²: causal QKᵀ and AV (half of the P × P scores, 2 FLOPs per multiply-add). */
  attentionFlops: number;
  flops: number;
  /** flops ÷ (the replica's matmul peak × mfu). */
  computeS: number;
  /** One pass over the weights from HBM: the floor for a short prompt. */
  memoryS: number;
  /** Two all-reduces per layer of prompt × hidden activations (tensor parallel replicas only). */
  allReduceS: number;
  /** max(compute, memory) + all-reduces: the time to first token with nothing else on the replica. */
  seconds: number;
  mfu: number;
}

/**
 * The prefill of one prompt on a replica: compute-bound (2 FLOPs per active parameter per token,
 * plus attention's term quadratic in the prompt) at `mfu` of the replica's matmul peak (FP8 where
 * the weights are FP8 and the GPU has FP8 units), never faster than one read of the weights.
 */
export function prefillCost(r: Replica, prompt: number, mfu = PREFILL_MFU): PrefillCost {
  if (!Number.isInteger(prompt) || prompt < 1)
    throw new RangeError(`A prompt is a whole number of tokens ≥ 1; got ${prompt}.`);
  if (!(mfu > 0 && mfu <= 1)) throw new RangeError(`MFU must be in (0, 1]; got ${mfu}.`);
  const matmulFlops = 2 * r.model.activeMatmulParams * prompt;
  const attentionFlops = r.model.attentionWidth * prompt * prompt;
  const flops = matmulFlops + attentionFlops;
  const computeS = flops / (r.profile.flopsPerS * mfu);
  const memoryS = r.profile.weightBytes / r.profile.memBytesPerS;
  const allReduceS = tpAllReduceSeconds(prompt, r.profile.tensorParallel);
  return {
    prompt,
    matmulFlops,
    attentionFlops,
    flops,
    computeS,
    memoryS,
    allReduceS,
    seconds: Math.max(computeS, memoryS) + allReduceS,
    mfu,
  };
}
