import { describe, expect, it } from 'vitest';
import { archOf, countParams, findModel, kvBytesPerToken, MODELS } from '../../src/catalog';

/**
 * Every preset's parameter count, computed from its config fields, against the figure its authors
 * publish. The tolerance is 1 %, or half a unit of the last digit for figures published to two
 * significant digits (GPT-3 XL's "1.3B", DeepSeek-V3's "37B"): a rounded figure cannot pin more.
 */
function tolerance(published: number): number {
  const digits = published.toPrecision(2);
  const twoDigits = Number(digits) === published;
  const halfUnit = twoDigits ? 0.5 * 10 ** (Math.floor(Math.log10(published)) - 1) : 0;
  return Math.max(0.01 * published, halfUnit);
}

describe('preset parameter counts match the published totals', () => {
  for (const m of MODELS) {
    it(`${m.name}: total${m.published.active ? ' and active' : ''}`, () => {
      const c = countParams(archOf(m.config));
      expect(Math.abs(c.total - m.published.total)).toBeLessThanOrEqual(tolerance(m.published.total));
      const active = m.published.activeCounts === 'matmul-only' ? c.activeMatmul : c.active;
      if (m.published.active)
        expect(Math.abs(active - m.published.active)).toBeLessThanOrEqual(tolerance(m.published.active));
      else expect(c.active).toBe(c.total);
    });
  }
});

describe('counts by hand', () => {
  it('GPT-3 175B is Narayanan et al.’s 12Lh² + 13Lh + Vh + 2h plus the learned positions', () => {
    const h = 12288;
    const c = countParams(archOf(findModel('gpt3-175b')!.config));
    expect(c.total).toBe(12 * 96 * h * h + 13 * 96 * h + 50257 * h + 2 * h + 2048 * h);
  });
  it('Llama 3.1 8B: GQA attention, SwiGLU, untied head', () => {
    const c = countParams(archOf(findModel('llama3.1-8b')!.config));
    const attn = 2 * 4096 * 4096 + 2 * 4096 * 1024;
    const mlp = 3 * 4096 * 14336;
    expect(c.attentionPerLayer).toBe(attn);
    expect(c.total).toBe(32 * (attn + mlp + 2 * 4096) + 2 * 128256 * 4096 + 4096);
  });
  it('Qwen2.5 7B carries q/k/v biases', () => {
    const c = countParams(archOf(findModel('qwen2.5-7b')!.config));
    expect(c.attentionPerLayer).toBe(2 * 3584 * 3584 + 2 * 3584 * 512 + 3584 + 2 * 512);
  });
  it('DeepSeek-V3: MLA projections, 3 dense layers, 58 MoE layers of 256 + 1 experts', () => {
    const a = archOf(findModel('deepseek-v3')!.config);
    expect(a.attention).toBe('MLA');
    const c = countParams(a);
    const mla = 7168 * 1536 + 1536 + 1536 * 128 * 192 + 7168 * 576 + 512 + 512 * 128 * 256 + 128 * 128 * 7168;
    expect(c.attentionPerLayer).toBe(mla);
    expect(c.denseLayers).toBe(3);
    expect(c.moeLayers).toBe(58);
    expect(c.expertParams).toBe(3 * 7168 * 2048);
    expect(c.moeMlpPerLayer).toBe(257 * 3 * 7168 * 2048 + 256 * 7168);
  });
  it('Mixtral: experts are the intermediate_size MLPs, 2 of 8 active', () => {
    const c = countParams(archOf(findModel('mixtral-8x7b')!.config));
    expect(c.total - c.active).toBe(32 * 6 * 3 * 4096 * 14336);
  });
});

describe('KV-cache bytes per token', () => {
  it('Llama 3 70B (GQA): 2 (K and V) × 80 layers × 8 KV heads × 128 × 2 bytes = 320 KiB', () => {
    const a = archOf(findModel('llama3-70b')!.config);
    expect(a.attention).toBe('GQA');
    expect(kvBytesPerToken(a, 2)).toBe(2 * 80 * 8 * 128 * 2);
    expect(kvBytesPerToken(a, 2)).toBe(320 * 1024);
  });
  it('DeepSeek-V3 (MLA): 61 layers × (512 latent + 64 RoPE key) × 2 bytes = 70,272 bytes', () => {
    const a = archOf(findModel('deepseek-v3')!.config);
    expect(kvBytesPerToken(a, 2)).toBe(61 * (512 + 64) * 2);
    expect(kvBytesPerToken(a, 2)).toBe(70_272);
  });
  it('MHA and MQA: Llama 2 7B keeps 32 KV heads; one KV head is MQA', () => {
    const a = archOf(findModel('llama2-7b')!.config);
    expect(a.attention).toBe('MHA');
    expect(kvBytesPerToken(a, 2)).toBe(2 * 32 * 32 * 128 * 2);
    const mqa = archOf({ ...findModel('llama2-7b')!.config, num_key_value_heads: 1 });
    expect(mqa.attention).toBe('MQA');
    expect(kvBytesPerToken(mqa, 1)).toBe(2 * 32 * 128);
  });
});
