import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  archOf,
  countParams,
  decodeConfig,
  encodeConfig,
  findModel,
  MAX_ENCODED,
  MODELS,
  parseModelConfig,
} from '../../src/catalog';

const fields = (r: ReturnType<typeof parseModelConfig>) => (r.ok ? [] : r.problems.map((p) => p.field));

describe('a pasted config.json', () => {
  it('reads every preset back from its own JSON with the same parameter count', () => {
    for (const m of MODELS) {
      const r = parseModelConfig(JSON.stringify(m.config));
      expect(r.ok, m.id).toBe(true);
      if (r.ok) expect(countParams(r.arch).total).toBe(countParams(archOf(m.config)).total);
    }
  });
  it('reads GPT-2 field names (n_embd, n_layer, n_head, n_positions, null n_inner)', () => {
    const r = parseModelConfig({
      model_type: 'gpt2',
      n_embd: 768,
      n_layer: 12,
      n_head: 12,
      n_positions: 1024,
      n_inner: null,
      vocab_size: 50257,
    });
    expect(r.ok).toBe(true);
    // GPT-2 small: 124,439,808 parameters (12 layers of 12h² + 13h, tied 50257 × 768, 1024 positions, final LayerNorm).
    if (r.ok) expect(countParams(r.arch).total).toBe(124_439_808);
  });
  it('reads a multimodal config’s text_config', () => {
    const r = parseModelConfig({ model_type: 'llava', text_config: findModel('mistral-7b')!.config });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.notes.join()).toContain('text_config');
  });
});

describe('bad configs give named errors', () => {
  it('not JSON, not an object', () => {
    expect(fields(parseModelConfig('{"hidden_size": 4096,'))).toEqual(['(file)']);
    expect(fields(parseModelConfig('[1, 2]'))).toEqual(['(file)']);
  });
  it('missing fields are each named', () => {
    expect(fields(parseModelConfig({ hidden_size: 4096, num_attention_heads: 32 }))).toEqual([
      'num_hidden_layers',
      'intermediate_size',
      'vocab_size',
    ]);
  });
  it('wrong types, negative and absurd sizes', () => {
    const base = findModel('llama3.1-8b')!.config;
    expect(fields(parseModelConfig({ ...base, hidden_size: '4096' }))).toEqual(['hidden_size']);
    expect(fields(parseModelConfig({ ...base, num_hidden_layers: -1 }))).toEqual(['num_hidden_layers']);
    expect(fields(parseModelConfig({ ...base, vocab_size: 1e12 }))).toEqual(['vocab_size']);
    expect(fields(parseModelConfig({ ...base, tie_word_embeddings: 'yes' }))).toEqual(['tie_word_embeddings']);
  });
  it('contradictions: KV heads, head split, experts, dense layers, MLA', () => {
    const base = findModel('llama3.1-8b')!.config;
    expect(fields(parseModelConfig({ ...base, num_key_value_heads: 64 }))).toEqual(['num_key_value_heads']);
    expect(fields(parseModelConfig({ ...base, num_key_value_heads: 5 }))).toEqual(['num_key_value_heads']);
    expect(fields(parseModelConfig({ ...base, num_attention_heads: 30 }))).toEqual([
      'num_key_value_heads',
      'num_attention_heads',
    ]);
    expect(fields(parseModelConfig({ ...base, num_local_experts: 8, num_experts_per_tok: 9 }))).toEqual([
      'num_experts_per_tok',
    ]);
    expect(fields(parseModelConfig({ ...base, num_local_experts: 8 }))).toEqual(['num_experts_per_tok']);
    expect(fields(parseModelConfig({ ...base, num_experts_per_tok: 2 }))).toEqual(['num_experts_per_tok']);
    expect(
      fields(parseModelConfig({ ...base, num_local_experts: 8, n_routed_experts: 16, num_experts_per_tok: 2 })),
    ).toEqual(['n_routed_experts']);
    const ds = findModel('deepseek-v3')!.config;
    expect(fields(parseModelConfig({ ...ds, first_k_dense_replace: 62 }))).toEqual(['first_k_dense_replace']);
    expect(fields(parseModelConfig({ ...ds, v_head_dim: undefined }))).toEqual(['v_head_dim']);
  });
});

describe('a config in the URL', () => {
  it('round-trips every preset through the compressed form, URL-safe and short', () => {
    for (const m of MODELS) {
      const enc = encodeConfig(m.config);
      expect(enc).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(enc.length).toBeLessThan(400);
      const back = decodeConfig(enc);
      expect(back.ok, m.id).toBe(true);
      if (back.ok) expect(back.config).toEqual(JSON.parse(JSON.stringify(m.config)));
    }
  });
  it('a damaged, foreign or oversized link is a named error, never a throw', () => {
    const enc = encodeConfig(findModel('deepseek-v3')!.config);
    expect(fields(decodeConfig(enc.slice(0, 20)))).toEqual(['(link)']);
    expect(fields(decodeConfig('not base64!'))).toEqual(['(link)']);
    expect(fields(decodeConfig('A'.repeat(MAX_ENCODED + 1)))).toEqual(['(link)']);
    // Valid deflate of something that is not a config: the config's own errors, named.
    const junk = btoa(String.fromCharCode(...deflateSync(strToU8('{"hidden_size":0}'))))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(fields(decodeConfig(junk))).toContain('hidden_size');
  });
});
