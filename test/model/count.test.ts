import { describe, expect, it } from 'vitest';
import { validateConfig, ModelConfigError, type GptConfig } from '../../src/model/config';
import { matmulParameters, parameterCount, trainingFlopsPerToken } from '../../src/model/count';
import { paramLayout } from '../../src/model/layout';

describe('parameter count and training FLOPs', () => {
  it('match a count by hand for L=2, D=32, H=4, T=16, V=13', () => {
    const c: GptConfig = { layers: 2, dModel: 32, heads: 4, context: 16, vocab: 13, batch: 8 };
    // By hand: wte 13·32 = 416, wpe 16·32 = 512. One block: ln1 64, qkv 32·96+96 = 3168,
    // out 32·32+32 = 1056, ln2 64, fc 32·128+128 = 4224, proj 128·32+32 = 4128 → 12704.
    // Two blocks 25408, final LayerNorm 64: 416 + 512 + 25408 + 64 = 26400.
    expect(parameterCount(c)).toBe(26400);
    expect(paramLayout(c).total).toBe(26400);
    // Matmul weights: 2·12·32² = 24576 plus the tied head 13·32 = 416 → 24992; ×6 = 149952.
    expect(matmulParameters(c)).toBe(24992);
    // Attention: 12·L·T·D = 12·2·16·32 = 12288.
    expect(trainingFlopsPerToken(c)).toEqual({ dense: 149952, attention: 12288, total: 162240 });
  });

  it('the layout has every tensor once, in order, with no gaps', () => {
    const c: GptConfig = { layers: 3, dModel: 48, heads: 6, context: 24, vocab: 13, batch: 1 };
    const { tensors, total } = paramLayout(c);
    let next = 0;
    for (const t of tensors) {
      expect(t.offset).toBe(next);
      expect(t.size).toBe(t.shape.reduce((a, b) => a * b, 1));
      next += t.size;
    }
    expect(total).toBe(parameterCount(c));
    expect(new Set(tensors.map((t) => t.name)).size).toBe(tensors.length);
  });

  it('refuses a width that heads do not divide, and sizes outside the lab ranges, by field', () => {
    const ok: GptConfig = { layers: 2, dModel: 32, heads: 4, context: 16, vocab: 13, batch: 8 };
    expect(() => validateConfig({ ...ok, heads: 5 })).toThrow(ModelConfigError);
    expect(() => validateConfig({ ...ok, heads: 5 })).toThrow(/not a multiple of heads 5/);
    expect(() => validateConfig({ ...ok, layers: 7 })).toThrow(/layers 7 is outside 1–6/);
    expect(() => validateConfig({ ...ok, context: 1.5 })).toThrow(/positive integer/);
    expect(validateConfig({ ...ok, dModel: 8, heads: 2 }, false).dModel).toBe(8);
  });
});
