import type { ModelArch } from './config';

/**
 * Values the KV cache keeps per token per layer:
 *   MHA/GQA/MQA  a key and a value for each KV head: 2 · kv_heads · head_dim
 *   MLA          the compressed latent and the shared RoPE key, kv_lora_rank + qk_rope_head_dim;
 *                the per-head keys and values are re-expanded from it (DeepSeek-V2 paper, §2.1.2,
 *                "only the compressed latent and the decoupled key need to be cached")
 */
export function kvValuesPerTokenPerLayer(m: ModelArch): number {
  if (m.mla) return m.mla.kvLoraRank + m.mla.ropeDim;
  return 2 * m.kvHeads * m.headDim;
}

/** KV-cache bytes one token occupies across all layers, at `bytesPerValue` (2 for fp16/bf16). */
export function kvBytesPerToken(m: ModelArch, bytesPerValue = 2): number {
  return m.layers * kvValuesPerTokenPerLayer(m) * bytesPerValue;
}
