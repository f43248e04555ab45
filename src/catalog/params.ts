import type { ModelArch } from './config';

/**
 * Parameter counts from the config fields, matrix by matrix, the way the checkpoint stores them:
 *   attention  q (h × a·d), k and v (h × kv·d each), o (a·d_v × h); MLA replaces q/k/v by its
 *              low-rank down/up projections and their two RMSNorms (DeepSeek-V2 paper, §2.1)
 *   MLP        gated (SwiGLU): 3·h·f; GPT-style: 2·h·f plus biases f + h
 *   MoE layer  experts · 3·h·f_e, shared experts · 3·h·f_e, router h × experts
 *   norms      two per layer (RMSNorm: h; LayerNorm: 2h), one final
 *   embedding  V·h, plus V·h again for an untied output head, plus P·h learned positions (GPT)
 * For GPT-style layers this is exactly Narayanan et al. 2021's 12h² + 13h per layer.
 * Active parameters count only the experts a token is routed to (top-k plus shared), and every
 * non-expert weight, embeddings included (Mixtral's published 12.9B counts them the same way).
 */
export interface ParamCount {
  total: number;
  /** Parameters one token uses, embeddings included (equal to total for a dense model). */
  active: number;
  /**
   * Active parameters the token's matrix multiplies read: without the input embedding table (a
   * lookup reads one row) and learned positions. 2 × this is the forward FLOPs per token; it is
   * also the convention of DeepSeek's "37B activated".
   */
  activeMatmul: number;
  /** Token embedding + output head (+ learned positions). */
  embedding: number;
  attentionPerLayer: number;
  /** A dense layer's MLP. */
  denseMlpPerLayer: number;
  /** An MoE layer's experts, shared experts and router (0 for a dense model). */
  moeMlpPerLayer: number;
  /** One expert's weights. */
  expertParams: number;
  normsPerLayer: number;
  /** The largest single layer (what ZeRO-3 gathers at once). */
  largestLayer: number;
  denseLayers: number;
  moeLayers: number;
}

export function attentionParams(m: ModelArch): number {
  const h = m.hidden;
  if (m.mla) {
    const { kvLoraRank: kr, qLoraRank: qr, ropeDim, nopeDim, vDim } = m.mla;
    const qOut = m.heads * (nopeDim + ropeDim);
    const q = qr == null ? h * qOut : h * qr + qr + qr * qOut; // down, its RMSNorm, up
    const kvDown = h * (kr + ropeDim) + kr; // compressed latent + the shared RoPE key, its RMSNorm
    const kvUp = kr * m.heads * (nopeDim + vDim);
    return q + kvDown + kvUp + m.heads * vDim * h;
  }
  const qDim = m.heads * m.headDim;
  const kvDim = m.kvHeads * m.headDim;
  const weights = 2 * h * qDim + 2 * h * kvDim;
  const c = m.config;
  const qkvBias = m.gptStyle || c.attention_bias || c.model_type === 'qwen2' ? qDim + 2 * kvDim : 0;
  const oBias = m.gptStyle || c.attention_bias ? h : 0;
  return weights + qkvBias + oBias;
}

function mlpParams(m: ModelArch, f: number): number {
  if (!m.gated) return 2 * m.hidden * f + f + m.hidden;
  return 3 * m.hidden * f + (m.config.mlp_bias ? 2 * f + m.hidden : 0);
}

export function countParams(m: ModelArch): ParamCount {
  const h = m.hidden;
  const attention = attentionParams(m);
  const norms = 2 * h * (m.gptStyle ? 2 : 1);
  const denseMlp = mlpParams(m, m.ffn);
  const moe = m.moe;
  const expert = moe ? mlpParams(m, moe.expertFfn) : 0;
  const router = moe ? h * moe.experts : 0;
  const moeMlp = moe ? (moe.experts + moe.shared) * expert + router : 0;
  const moeActive = moe ? (moe.topK + moe.shared) * expert + router : 0;
  const denseLayers = moe ? Math.min(moe.denseLayers, m.layers) : m.layers;
  const moeLayers = m.layers - denseLayers;
  const embedding = m.vocab * h * (m.tied ? 1 : 2) + (m.gptStyle ? m.maxPositions * h : 0);
  const finalNorm = h * (m.gptStyle ? 2 : 1);
  const shared = embedding + finalNorm + m.layers * (attention + norms) + denseLayers * denseMlp;
  return {
    total: shared + moeLayers * moeMlp,
    active: shared + moeLayers * moeActive,
    activeMatmul: shared + moeLayers * moeActive - (m.tied ? 0 : m.vocab * h) - (m.gptStyle ? m.maxPositions * h : 0),
    embedding,
    attentionPerLayer: attention,
    denseMlpPerLayer: denseMlp,
    moeMlpPerLayer: moeMlp,
    expertParams: expert,
    normsPerLayer: norms,
    largestLayer: attention + norms + Math.max(denseLayers ? denseMlp : 0, moeLayers ? moeMlp : 0),
    denseLayers,
    moeLayers,
  };
}
