import { addCosts } from '../costsum';
import type { KernelCost } from '../types';
import { SCATTER_WG, type EmbeddingDims } from './limits';

const F32 = 4;

/** Gather (shaders/embedding/forward.wgsl): per output element a token id, a wte and a wpe float read, one write; one add. */
export function embeddingForwardCost({ batch, seq, channels }: EmbeddingDims): KernelCost {
  const n = batch * seq * channels;
  return { flops: n, bytesRead: 3 * n * F32, bytesWritten: n * F32 };
}

/**
 * Backward, exactly as counted, for valid token ids (each position matches one vocab row): dwte's
 * workgroups read every token id once each (vocab × ⌈C/SCATTER_WG⌉ workgroups), dout once in all
 * (plus dwte once more when accumulating), and write all of dwte; dwpe reads dout once more and
 * writes T·C. FLOPs: one add per dout element in each.
 */
export function embeddingBackwardCost(
  d: EmbeddingDims,
  accumulate = false,
): { wte: KernelCost; wpe: KernelCost; total: KernelCost } {
  const { batch, seq, channels: C, vocab } = d;
  const n = batch * seq;
  const wte: KernelCost = {
    flops: n * C,
    bytesRead: (vocab * Math.ceil(C / SCATTER_WG) * n + n * C + (accumulate ? vocab * C : 0)) * F32,
    bytesWritten: vocab * C * F32,
  };
  const wpe: KernelCost = { flops: n * C, bytesRead: n * C * F32, bytesWritten: seq * C * F32 };
  return { wte, wpe, total: addCosts(wte, wpe) };
}
