/**
 * A model described the way Hugging Face describes it: the fields of its `config.json`, with their
 * names unchanged, so a preset reads like the file on the model page and a pasted file needs no
 * translation. Only the fields that decide parameter counts, FLOPs and KV-cache size are kept.
 *
 * `archOf` turns those fields into the few numbers every lab needs (head dim, KV heads, expert
 * sizes, attention kind), filling the defaults the transformers library fills: no
 * num_key_value_heads means one KV head per query head (MHA), no head_dim means hidden ÷ heads.
 */
export interface HfConfig {
  /** transformers' model_type: "llama", "mistral", "mixtral", "qwen2", "deepseek_v3", "gpt2", … */
  model_type?: string;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  /** Grouped-query attention: fewer KV heads than query heads; 1 is multi-query attention. */
  num_key_value_heads?: number;
  head_dim?: number;
  /** The MLP's inner size (dense layers; each expert of a Mixtral-style MoE). */
  intermediate_size: number;
  vocab_size: number;
  /** The output projection reuses the input embedding matrix. */
  tie_word_embeddings?: boolean;
  max_position_embeddings?: number;
  /** "silu" with a gate (SwiGLU), "gelu"/"gelu_new"/"relu" for two-matrix MLPs (see GATED). */
  hidden_act?: string;
  /** Biases on q, k, v and o (Llama's flag); Qwen2 has q/k/v biases without the flag. */
  attention_bias?: boolean;
  mlp_bias?: boolean;

  // Mixture of experts.
  /** Mixtral's name for the number of experts. */
  num_local_experts?: number;
  /** DeepSeek's name for the number of routed experts. */
  n_routed_experts?: number;
  num_experts_per_tok?: number;
  /** DeepSeek: experts every token goes through besides the routed ones. */
  n_shared_experts?: number;
  /** DeepSeek: each expert's inner size (intermediate_size is then the dense layers'). */
  moe_intermediate_size?: number;
  /** DeepSeek: the first k layers keep a dense MLP. */
  first_k_dense_replace?: number;

  // Multi-head latent attention (DeepSeek-V2/V3).
  kv_lora_rank?: number;
  /** Null: queries are projected directly from the hidden state. */
  q_lora_rank?: number | null;
  qk_rope_head_dim?: number;
  qk_nope_head_dim?: number;
  v_head_dim?: number;
}

export type AttentionKind = 'MHA' | 'GQA' | 'MQA' | 'MLA';

/** The derived shape every lab computes with. */
export interface ModelArch {
  config: HfConfig;
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  /** Query/key head dim (MLA: nope + rope part). */
  headDim: number;
  /** Value head dim (equal to headDim except in MLA). */
  vHeadDim: number;
  attention: AttentionKind;
  /** Three matrices (gate, up, down) rather than two. */
  gated: boolean;
  /** GPT-2/3 style: LayerNorm with bias, biases on every linear layer, learned positions. */
  gptStyle: boolean;
  vocab: number;
  tied: boolean;
  maxPositions: number;
  /** Dense MLP inner size. */
  ffn: number;
  moe: MoeShape | null;
  mla: MlaShape | null;
}

export interface MoeShape {
  experts: number;
  topK: number;
  shared: number;
  /** Each expert's inner size. */
  expertFfn: number;
  /** Layers with a dense MLP before the MoE layers begin. */
  denseLayers: number;
}

export interface MlaShape {
  kvLoraRank: number;
  qLoraRank: number | null;
  ropeDim: number;
  nopeDim: number;
  vDim: number;
}

/** Families whose MLP is two matrices with a bias and whose norms are LayerNorm with a bias. */
const GPT_STYLE = new Set(['gpt2', 'gpt3', 'openai-gpt']);

export function expertsOf(c: HfConfig): number {
  return c.n_routed_experts ?? c.num_local_experts ?? 0;
}

export function archOf(c: HfConfig): ModelArch {
  const heads = c.num_attention_heads;
  const experts = expertsOf(c);
  const mla: MlaShape | null =
    c.kv_lora_rank != null
      ? {
          kvLoraRank: c.kv_lora_rank,
          qLoraRank: c.q_lora_rank ?? null,
          ropeDim: c.qk_rope_head_dim ?? 0,
          nopeDim: c.qk_nope_head_dim ?? 0,
          vDim: c.v_head_dim ?? 0,
        }
      : null;
  const kvHeads = mla ? heads : (c.num_key_value_heads ?? heads);
  const headDim = mla ? mla.nopeDim + mla.ropeDim : (c.head_dim ?? c.hidden_size / heads);
  const gptStyle = GPT_STYLE.has(c.model_type ?? '');
  return {
    config: c,
    layers: c.num_hidden_layers,
    hidden: c.hidden_size,
    heads,
    kvHeads,
    headDim,
    vHeadDim: mla ? mla.vDim : headDim,
    attention: mla ? 'MLA' : kvHeads === heads ? 'MHA' : kvHeads === 1 ? 'MQA' : 'GQA',
    gated: !gptStyle,
    gptStyle,
    vocab: c.vocab_size,
    // transformers defaults tie_word_embeddings to true; every Llama-family config sets it explicitly.
    tied: c.tie_word_embeddings ?? true,
    maxPositions: c.max_position_embeddings ?? 0,
    ffn: c.intermediate_size,
    moe:
      experts > 0
        ? {
            experts,
            topK: c.num_experts_per_tok ?? 1,
            shared: c.n_shared_experts ?? 0,
            expertFfn: c.moe_intermediate_size ?? c.intermediate_size,
            denseLayers: c.first_k_dense_replace ?? 0,
          }
        : null,
    mla,
  };
}
