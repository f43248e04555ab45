import type { HfConfig } from './config';

/**
 * Model presets: each one's config.json fields as published, the total (and, for mixtures of
 * experts, active) parameter count its authors state, and where both come from. Tests hold the
 * count computed from the fields to the published one (within 1 %, or within the rounding of a
 * figure published to two digits).
 */
export interface ModelPreset {
  id: string;
  name: string;
  /** One line: the family and what is special about it. */
  note: string;
  config: HfConfig;
  published: {
    total: number;
    active?: number;
    /** How the authors count active parameters: with the embeddings (Mistral) or without the input table (DeepSeek). */
    activeCounts?: 'with-embeddings' | 'matmul-only';
    source: string;
  };
  /** Where the config fields come from (a config.json URL, or the paper for GPT-3). */
  source: string;
  /** Ids earlier versions of the labs used for this shape, still accepted in links. */
  aliases?: readonly string[];
}

const hf = (repo: string) => `https://huggingface.co/${repo}/blob/main/config.json`;

/** GPT-3 shapes (Brown et al. 2020, Table 2.1): d_ff = 4·d_model, 2,048-token context, GPT-2's 50,257-token BPE. */
function gpt3(layers: number, hidden: number, heads: number): HfConfig {
  return {
    model_type: 'gpt3',
    hidden_size: hidden,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    intermediate_size: 4 * hidden,
    vocab_size: 50257,
    tie_word_embeddings: true,
    max_position_embeddings: 2048,
    hidden_act: 'gelu',
  };
}

const GPT3_PAPER =
  'Brown et al. 2020, "Language Models are Few-Shot Learners", Table 2.1 (https://arxiv.org/abs/2005.14165)';

/** The Llama layout (SwiGLU MLP, RMSNorm, RoPE, no biases, untied head) with the given sizes. */
function llama(
  hidden: number,
  ffn: number,
  layers: number,
  heads: number,
  kvHeads: number,
  vocab: number,
  maxPos: number,
  type = 'llama',
): HfConfig {
  return {
    model_type: type,
    hidden_size: hidden,
    intermediate_size: ffn,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    num_key_value_heads: kvHeads,
    vocab_size: vocab,
    max_position_embeddings: maxPos,
    tie_word_embeddings: false,
    hidden_act: 'silu',
  };
}

export const MODELS: readonly ModelPreset[] = [
  {
    id: 'smollm2-135m',
    name: 'SmolLM2 135M',
    note: 'tiny Llama-style GQA model (3 KV heads), tied embeddings',
    config: { ...llama(576, 1536, 30, 9, 3, 49152, 8192), tie_word_embeddings: true },
    published: {
      total: 135e6,
      source: 'SmolLM2 model card (https://huggingface.co/HuggingFaceTB/SmolLM2-135M): 135M parameters',
    },
    source: hf('HuggingFaceTB/SmolLM2-135M'),
  },
  {
    id: 'gpt3-xl',
    name: 'GPT-3 XL 1.3B',
    note: 'GPT-3 shape: MHA, 4h GELU MLP, learned positions',
    config: gpt3(24, 2048, 16),
    published: { total: 1.3e9, source: GPT3_PAPER },
    // Table 2.1's heads for this row do not divide d_model into its 128-wide heads; we keep d_head.
    source: `${GPT3_PAPER}; the table lists 24 heads of 128, which does not make 2048: our correction, 16 heads of 128`,
    aliases: ['1b'],
  },
  {
    id: 'gpt3-6.7b',
    name: 'GPT-3 6.7B',
    note: 'GPT-3 shape: MHA, 4h GELU MLP, learned positions',
    config: gpt3(32, 4096, 32),
    published: { total: 6.7e9, source: GPT3_PAPER },
    source: GPT3_PAPER,
    aliases: ['7b'],
  },
  {
    id: 'gpt3-175b',
    name: 'GPT-3 175B',
    note: 'GPT-3 shape: MHA, 4h GELU MLP, learned positions',
    config: gpt3(96, 12288, 96),
    published: { total: 175e9, source: GPT3_PAPER },
    source: GPT3_PAPER,
    aliases: ['175b'],
  },
  {
    id: 'llama2-7b',
    name: 'Llama 2 7B',
    note: 'MHA (32 KV heads), SwiGLU',
    config: llama(4096, 11008, 32, 32, 32, 32000, 4096),
    published: {
      total: 6.74e9,
      source: 'Hugging Face model page, safetensors count (https://huggingface.co/meta-llama/Llama-2-7b-hf): 6.74B',
    },
    source: hf('meta-llama/Llama-2-7b-hf'),
  },
  {
    id: 'llama2-13b',
    name: 'Llama 2 13B',
    note: 'MHA (40 KV heads), SwiGLU',
    config: llama(5120, 13824, 40, 40, 40, 32000, 4096),
    published: {
      total: 13.0e9,
      source: 'Touvron et al. 2023 (Llama 2), Table 1 (https://arxiv.org/abs/2307.09288): 13B',
    },
    source: hf('meta-llama/Llama-2-13b-hf'),
    aliases: ['13b'],
  },
  {
    id: 'llama2-70b',
    name: 'Llama 2 70B',
    note: 'GQA (8 KV heads), SwiGLU',
    config: llama(8192, 28672, 80, 64, 8, 32000, 4096),
    published: {
      total: 69.0e9,
      source: 'Hugging Face model page, safetensors count (https://huggingface.co/meta-llama/Llama-2-70b-hf): 69B',
    },
    source: hf('meta-llama/Llama-2-70b-hf'),
    aliases: ['70b'],
  },
  {
    id: 'llama3.1-8b',
    name: 'Llama 3.1 8B',
    note: 'GQA (8 KV heads), 128k vocabulary, 128k context',
    config: llama(4096, 14336, 32, 32, 8, 128256, 131072),
    published: {
      total: 8.03e9,
      source: 'Hugging Face model page, safetensors count (https://huggingface.co/meta-llama/Llama-3.1-8B): 8.03B',
    },
    source: hf('meta-llama/Llama-3.1-8B'),
    aliases: ['llama3-8b'],
  },
  {
    id: 'llama3.1-70b',
    name: 'Llama 3.1 70B',
    note: 'GQA (8 KV heads), 128k vocabulary, 128k context',
    config: llama(8192, 28672, 80, 64, 8, 128256, 131072),
    published: {
      total: 70.6e9,
      source: 'Hugging Face model page, safetensors count (https://huggingface.co/meta-llama/Llama-3.1-70B): 70.6B',
    },
    source: hf('meta-llama/Llama-3.1-70B'),
    aliases: ['llama3-70b'],
  },
  {
    id: 'llama3.1-405b',
    name: 'Llama 3.1 405B',
    note: 'GQA (8 KV heads), 126 layers',
    config: llama(16384, 53248, 126, 128, 8, 128256, 131072),
    published: { total: 405e9, source: 'Llama 3 report (Meta 2024, https://arxiv.org/abs/2407.21783), Table 3: 405B' },
    source: hf('meta-llama/Llama-3.1-405B'),
    aliases: ['405b'],
  },
  {
    id: 'mistral-7b',
    name: 'Mistral 7B',
    note: 'GQA (8 KV heads), sliding-window attention',
    config: llama(4096, 14336, 32, 32, 8, 32000, 32768, 'mistral'),
    published: {
      total: 7.24e9,
      source: 'Hugging Face model page, safetensors count (https://huggingface.co/mistralai/Mistral-7B-v0.1): 7.24B',
    },
    source: hf('mistralai/Mistral-7B-v0.1'),
  },
  {
    id: 'mixtral-8x7b',
    name: 'Mixtral 8×7B',
    note: 'MoE: 8 experts, 2 per token, GQA',
    config: { ...llama(4096, 14336, 32, 32, 8, 32000, 32768, 'mixtral'), num_local_experts: 8, num_experts_per_tok: 2 },
    published: {
      total: 46.7e9,
      active: 12.9e9,
      activeCounts: 'with-embeddings',
      source:
        'Jiang et al. 2024, "Mixtral of Experts" (https://arxiv.org/abs/2401.04088): 47B total, 13B active; Mistral AI announcement: 46.7B, 12.9B',
    },
    source: hf('mistralai/Mixtral-8x7B-v0.1'),
  },
  {
    id: 'qwen2.5-7b',
    name: 'Qwen2.5 7B',
    note: 'GQA (4 KV heads), q/k/v biases, 152k vocabulary',
    config: llama(3584, 18944, 28, 28, 4, 152064, 131072, 'qwen2'),
    published: { total: 7.61e9, source: 'Qwen2.5-7B model card (https://huggingface.co/Qwen/Qwen2.5-7B): 7.61B' },
    source: hf('Qwen/Qwen2.5-7B'),
  },
  {
    id: 'qwen2.5-72b',
    name: 'Qwen2.5 72B',
    note: 'GQA (8 KV heads), q/k/v biases, 152k vocabulary',
    config: llama(8192, 29568, 80, 64, 8, 152064, 131072, 'qwen2'),
    published: { total: 72.7e9, source: 'Qwen2.5-72B model card (https://huggingface.co/Qwen/Qwen2.5-72B): 72.7B' },
    source: hf('Qwen/Qwen2.5-72B'),
  },
  {
    id: 'deepseek-v3',
    name: 'DeepSeek-V3 671B',
    note: 'MoE: 256 routed + 1 shared expert, 8 per token; multi-head latent attention (MLA)',
    config: {
      ...llama(7168, 18432, 61, 128, 128, 129280, 163840, 'deepseek_v3'),
      n_routed_experts: 256,
      n_shared_experts: 1,
      num_experts_per_tok: 8,
      moe_intermediate_size: 2048,
      first_k_dense_replace: 3,
      kv_lora_rank: 512,
      q_lora_rank: 1536,
      qk_rope_head_dim: 64,
      qk_nope_head_dim: 128,
      v_head_dim: 128,
    },
    published: {
      total: 671e9,
      active: 37e9,
      // 37.55B with both embedding tables, 36.63B without the input one: only the latter rounds to 37B.
      activeCounts: 'matmul-only',
      source:
        'DeepSeek-V3 technical report (https://arxiv.org/abs/2412.19437): 671B total, 37B activated per token (the 14B multi-token-prediction module is not counted)',
    },
    source: hf('deepseek-ai/DeepSeek-V3'),
  },
];

export function findModel(id: string): ModelPreset | undefined {
  return MODELS.find((m) => m.id === id || m.aliases?.includes(id));
}

/** Old id → catalog id, for the labs whose links used the old ids. */
export function modelAliases(): Record<string, string> {
  return Object.fromEntries(MODELS.flatMap((m) => (m.aliases ?? []).map((a) => [a, m.id])));
}
