import type { GptConfig } from './config';

/**
 * Parameter count and training FLOPs per token, in closed form, so the lab can show them beside
 * the model and a test can hold them to a count by hand and to the layout.
 */

/** N = V·D + T·D + L·(12·D² + 13·D) + 2·D: embeddings, L blocks, final LayerNorm (the head is tied). */
export function parameterCount(c: GptConfig): number {
  const D = c.dModel;
  // Per block: LayerNorm 2D, QKV 3D²+3D, output D²+D, LayerNorm 2D, MLP up 4D²+4D, down 4D²+D.
  const block = 12 * D * D + 13 * D;
  return c.vocab * D + c.context * D + c.layers * block + 2 * D;
}

/**
 * Weights every token multiplies in a matmul: the blocks' 12·D² per layer and the tied head's V·D.
 * Biases, LayerNorms and the embedding lookups are not matmuls, so they are left out, as in
 * Kaplan et al. (2020) and nanoGPT's MFU estimate.
 */
export function matmulParameters(c: GptConfig): number {
  return c.layers * 12 * c.dModel * c.dModel + c.vocab * c.dModel;
}

export interface TrainingFlops {
  /** 6·N_matmul: 2 FLOPs per weight per token forward, 4 backward (input and weight gradients). */
  dense: number;
  /**
   * 12·L·T·D: Q·Kᵀ and P·V are 2·T·D FLOPs each per token per layer forward, ×3 with backward.
   * Counted over the full T×T score matrix as PaLM's appendix B does (Chowdhery et al. 2022), so
   * MFU matches the published convention; a causal kernel skips about half of that work.
   */
  attention: number;
  /** dense + attention per token. */
  total: number;
}

export function trainingFlopsPerToken(c: GptConfig): TrainingFlops {
  const dense = 6 * matmulParameters(c);
  const attention = 12 * c.layers * c.context * c.dModel;
  return { dense, attention, total: dense + attention };
}
