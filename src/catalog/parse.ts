import { archOf, type HfConfig, type ModelArch } from './config';

/**
 * Reads a pasted or dropped config.json into the catalog's HfConfig, or says, field by field, why
 * it cannot. A config is data from anywhere: nothing in it is trusted, every problem is named, and
 * nothing here throws.
 */
export interface ConfigProblem {
  /** The config.json field at fault ("(file)" for the file as a whole). */
  field: string;
  message: string;
}

export type ParsedConfig =
  { ok: true; config: HfConfig; arch: ModelArch; notes: string[] } | { ok: false; problems: ConfigProblem[] };

/** Sizes far beyond any published model are typos (or hostile), not models. */
const LIMITS: Record<string, number> = {
  hidden_size: 1 << 20,
  num_hidden_layers: 10_000,
  num_attention_heads: 1 << 16,
  num_key_value_heads: 1 << 16,
  head_dim: 1 << 16,
  intermediate_size: 1 << 22,
  vocab_size: 1 << 24,
  max_position_embeddings: 1 << 26,
  num_local_experts: 1 << 16,
  n_routed_experts: 1 << 16,
  num_experts_per_tok: 1 << 16,
  n_shared_experts: 1 << 10,
  moe_intermediate_size: 1 << 22,
  first_k_dense_replace: 10_000,
  kv_lora_rank: 1 << 20,
  q_lora_rank: 1 << 20,
  qk_rope_head_dim: 1 << 16,
  qk_nope_head_dim: 1 << 16,
  v_head_dim: 1 << 16,
};
const REQUIRED = [
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'intermediate_size',
  'vocab_size',
] as const;
const BOOLS = ['tie_word_embeddings', 'attention_bias', 'mlp_bias'] as const;
/** GPT-2's config.json names (transformers' GPT2Config) for the same fields. */
const GPT2_NAMES: Record<string, string> = {
  n_embd: 'hidden_size',
  n_layer: 'num_hidden_layers',
  n_head: 'num_attention_heads',
  n_positions: 'max_position_embeddings',
  n_inner: 'intermediate_size',
};

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 24 ? `${s.slice(0, 24)}…` : s;
};

export function parseModelConfig(input: unknown): ParsedConfig {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      return { ok: false, problems: [{ field: '(file)', message: `not JSON: ${(e as Error).message}` }] };
    }
  }
  if (!isRecord(raw))
    return { ok: false, problems: [{ field: '(file)', message: 'a config.json is one JSON object ({ … })' }] };
  const notes: string[] = [];
  // Multimodal configs (Llama 4, Qwen2-VL, …) keep the language model's fields under text_config.
  if (raw.hidden_size === undefined && isRecord(raw.text_config)) {
    raw = { model_type: raw.model_type, ...raw.text_config };
    notes.push('read the language model from text_config');
  }
  const src = { ...(raw as Record<string, unknown>) };
  for (const [gpt2, name] of Object.entries(GPT2_NAMES)) {
    if (src[name] === undefined && src[gpt2] !== undefined) src[name] = src[gpt2];
  }
  // GPT-2 leaves n_inner null for the usual 4·h MLP.
  if (
    (src.intermediate_size === undefined || src.intermediate_size === null) &&
    src.n_embd !== undefined &&
    typeof src.n_embd === 'number'
  ) {
    src.intermediate_size = 4 * src.n_embd;
    notes.push('intermediate_size = 4 × n_embd (GPT-2 default)');
  }

  const problems: ConfigProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const field of REQUIRED)
    if (src[field] === undefined || src[field] === null)
      problems.push({ field, message: 'missing (every transformer config states it)' });
  for (const [field, max] of Object.entries(LIMITS)) {
    const v = src[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v))
      problems.push({ field, message: `must be a whole number (got ${show(v)})` });
    else if (v < (field === 'first_k_dense_replace' || field === 'n_shared_experts' ? 0 : 1))
      problems.push({ field, message: `must be positive (got ${v})` });
    else if (v > max) problems.push({ field, message: `${v} is beyond any published model (at most ${max})` });
    else out[field] = v;
  }
  for (const field of BOOLS) {
    const v = src[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') problems.push({ field, message: `must be true or false (got ${show(v)})` });
    else out[field] = v;
  }
  for (const field of ['model_type', 'hidden_act'] as const) {
    const v = src[field];
    if (typeof v === 'string' && v.length <= 64) out[field] = v;
  }
  if (src.q_lora_rank === null) out.q_lora_rank = null;
  if (problems.length) return { ok: false, problems };

  const c = out as unknown as HfConfig;
  const heads = c.num_attention_heads;
  if (c.num_key_value_heads !== undefined && c.kv_lora_rank === undefined) {
    if (c.num_key_value_heads > heads)
      problems.push({
        field: 'num_key_value_heads',
        message: `${c.num_key_value_heads} KV heads but only ${heads} attention heads`,
      });
    else if (heads % c.num_key_value_heads !== 0)
      problems.push({
        field: 'num_key_value_heads',
        message: `${heads} attention heads do not split into groups of ${c.num_key_value_heads} KV heads`,
      });
  }
  if (c.head_dim === undefined && c.kv_lora_rank === undefined && c.hidden_size % heads !== 0) {
    problems.push({
      field: 'num_attention_heads',
      message: `hidden_size ${c.hidden_size} is not divisible by ${heads} heads, and no head_dim is given`,
    });
  }
  if (
    c.num_local_experts !== undefined &&
    c.n_routed_experts !== undefined &&
    c.num_local_experts !== c.n_routed_experts
  ) {
    problems.push({
      field: 'n_routed_experts',
      message: `contradicts num_local_experts (${c.n_routed_experts} vs ${c.num_local_experts})`,
    });
  }
  const experts = c.n_routed_experts ?? c.num_local_experts;
  if (experts !== undefined) {
    if (c.num_experts_per_tok === undefined)
      problems.push({ field: 'num_experts_per_tok', message: `missing: ${experts} experts but no number per token` });
    else if (c.num_experts_per_tok > experts)
      problems.push({
        field: 'num_experts_per_tok',
        message: `${c.num_experts_per_tok} experts per token but only ${experts} experts`,
      });
  } else {
    for (const f of ['num_experts_per_tok', 'moe_intermediate_size', 'first_k_dense_replace'] as const) {
      if (c[f] !== undefined && c[f] !== 0)
        problems.push({
          field: f,
          message: 'set, but the config has no experts (num_local_experts or n_routed_experts)',
        });
    }
  }
  if (c.first_k_dense_replace !== undefined && c.first_k_dense_replace > c.num_hidden_layers) {
    problems.push({
      field: 'first_k_dense_replace',
      message: `${c.first_k_dense_replace} dense layers but only ${c.num_hidden_layers} layers`,
    });
  }
  if (c.kv_lora_rank !== undefined) {
    for (const f of ['qk_rope_head_dim', 'qk_nope_head_dim', 'v_head_dim'] as const) {
      if (c[f] === undefined)
        problems.push({ field: f, message: 'missing: multi-head latent attention (kv_lora_rank is set) needs it' });
    }
  } else {
    for (const f of ['q_lora_rank', 'qk_rope_head_dim', 'qk_nope_head_dim', 'v_head_dim'] as const) {
      if (c[f] !== undefined && c[f] !== null)
        notes.push(`${f} ignored: no kv_lora_rank, so this is not multi-head latent attention`);
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, config: c, arch: archOf(c), notes };
}

/** One line per problem, for a message under the input. */
export function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}
