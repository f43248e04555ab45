import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import type { HfConfig } from './config';
import { parseModelConfig, type ParsedConfig } from './parse';

/**
 * A user's config in a URL: only the fields the catalog reads, as JSON, deflated (fflate) and
 * base64url-encoded, so a link or an embed carries the model (a Llama config is ~120 characters).
 * Decoding validates again: a link is user input like any other.
 */
const FIELDS: readonly (keyof HfConfig)[] = [
  'model_type',
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'num_key_value_heads',
  'head_dim',
  'intermediate_size',
  'vocab_size',
  'tie_word_embeddings',
  'max_position_embeddings',
  'hidden_act',
  'attention_bias',
  'mlp_bias',
  'num_local_experts',
  'n_routed_experts',
  'num_experts_per_tok',
  'n_shared_experts',
  'moe_intermediate_size',
  'first_k_dense_replace',
  'kv_lora_rank',
  'q_lora_rank',
  'qk_rope_head_dim',
  'qk_nope_head_dim',
  'v_head_dim',
];

/** A URL never carries more than this many encoded characters of config. */
export const MAX_ENCODED = 2000;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

export function encodeConfig(c: HfConfig): string {
  const kept: Record<string, unknown> = {};
  for (const f of FIELDS) if (c[f] !== undefined) kept[f] = c[f];
  return toBase64Url(deflateSync(strToU8(JSON.stringify(kept)), { level: 9 }));
}

export function decodeConfig(encoded: string): ParsedConfig {
  if (encoded.length > MAX_ENCODED)
    return {
      ok: false,
      problems: [
        { field: '(link)', message: `the encoded config is ${encoded.length} characters, more than ${MAX_ENCODED}` },
      ],
    };
  if (!/^[A-Za-z0-9_-]*$/.test(encoded))
    return {
      ok: false,
      problems: [{ field: '(link)', message: 'the encoded config has characters outside base64url' }],
    };
  let text: string;
  try {
    text = strFromU8(inflateSync(fromBase64Url(encoded)));
  } catch {
    return {
      ok: false,
      problems: [
        {
          field: '(link)',
          message: 'the encoded config is damaged (it does not inflate); paste the config.json again',
        },
      ],
    };
  }
  return parseModelConfig(text);
}
