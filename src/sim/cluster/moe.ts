import { countParams } from '../../catalog/params';
import type { ModelShape } from './models';
import type { ParallelConfig } from './parallel';

/**
 * Expert parallelism for mixture-of-experts models (GShard, Lepikhin et al. 2020; Switch
 * Transformer, Fedus et al. 2021): the experts of every MoE layer are split over `ep` GPUs of the
 * data-parallel group, so each GPU holds 1/ep of the expert weights (the attention, router, shared
 * experts and embeddings stay replicated). In exchange every MoE layer does an all-to-all to send
 * each token's hidden vector to its top-k experts (dispatch) and one to bring the results back
 * (combine), in forward and again in backward. A GPU keeps the (1/ep) of the copies whose expert it
 * holds itself, so it sends b·s·k·h·bytes·(ep−1)/ep per all-to-all.
 */
export interface ExpertSplit {
  /** Parameters of all routed experts (every MoE layer). */
  routedExpertParams: number;
  /** Parameters that are not routed experts (replicated on every expert-parallel rank). */
  denseParams: number;
}

export function expertSplit(model: ModelShape): ExpertSplit | null {
  const a = model.arch;
  if (!a?.moe) return null;
  const c = countParams(a);
  const routedExpertParams = c.moeLayers * a.moe.experts * c.expertParams;
  return { routedExpertParams, denseParams: c.total - routedExpertParams };
}

/** Parameters on one GPU before tensor/pipeline/ZeRO sharding: experts divided by ep. */
export function paramsWithExperts(model: ModelShape, total: number, ep: number): number {
  const s = expertSplit(model);
  if (!s || ep <= 1) return total;
  return s.denseParams + s.routedExpertParams / ep;
}

export interface AllToAll {
  /** Bytes one GPU sends in one all-to-all. */
  bytesPerCall: number;
  /** All-to-alls per optimizer step on one GPU. */
  calls: number;
  bytes: number;
  what: string;
}

export function expertAllToAll(
  model: ModelShape,
  c: Pick<ParallelConfig, 'microBatch' | 'microBatches' | 'pp' | 'recompute' | 'precision'>,
  ep: number,
): AllToAll | null {
  const a = model.arch;
  if (!a?.moe || ep <= 1) return null;
  const moeLayers = countParams(a).moeLayers;
  const wordBytes = c.precision === 'fp32' ? 4 : 2;
  const bytesPerCall = (c.microBatch * model.seq * a.moe.topK * model.hidden * wordBytes * (ep - 1)) / ep;
  // Dispatch + combine in forward, the same two in backward, two more when full recompute re-runs forward.
  const perLayer = c.recompute === 'full' ? 6 : 4;
  const calls = Math.ceil(moeLayers / c.pp) * c.microBatches * perLayer;
  return {
    bytesPerCall,
    calls,
    bytes: bytesPerCall * calls,
    what: `expert-parallel all-to-all: dispatch + combine per MoE layer, forward and backward, b·s·k·h·(e−1)/e each (k = ${a.moe.topK} experts per token)`,
  };
}

/** Problems with an expert-parallel degree, each naming the control. */
export function expertProblems(model: ModelShape, ep: number, dataParallel: number): string[] {
  if (ep <= 1) return [];
  const a = model.arch;
  if (!a?.moe) return [`expert parallel ${ep} needs a mixture-of-experts model (this one has no experts): set it to 1`];
  const out: string[] = [];
  if (a.moe.experts % ep !== 0) out.push(`expert parallel ${ep} must divide the ${a.moe.experts} experts`);
  if (Number.isInteger(dataParallel) && dataParallel % ep !== 0)
    out.push(`expert parallel ${ep} must divide the data-parallel degree N_d = ${dataParallel}`);
  return out;
}
