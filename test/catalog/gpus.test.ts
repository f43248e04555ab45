import { describe, expect, it } from 'vitest';
import { findGpu, GPUS, gpuAliases, MODELS, PRICE_NOTE } from '../../src/catalog';

describe('GPU catalog', () => {
  it('has the GPUs the labs plan with, each sourced, with a price the user replaces', () => {
    for (const id of [
      'h100-sxm',
      'h100-pcie',
      'h200',
      'b200',
      'a100-40',
      'a100-80',
      'l4',
      'l40s',
      'mi300x',
      'rtx-4090',
      'apple-m2',
    ]) {
      const g = findGpu(id)!;
      expect(g, id).toBeDefined();
      expect(g.source.length, id).toBeGreaterThan(20);
      expect(g.memoryBytes / 1e9, id).toBeGreaterThanOrEqual(g.memoryGB * 0.99);
      if (g.gpusPerNode > 1) expect(g.pricePerHour, id).toBeGreaterThan(0);
    }
    expect(PRICE_NOTE).toMatch(/set your own/);
  });
  it('uses dense datasheet figures: FP8 is twice BF16 wherever both exist (the sparse figures would be 2× more)', () => {
    for (const g of GPUS)
      if (g.fp8Tflops !== null && g.bf16Tflops !== null) expect(g.fp8Tflops / g.bf16Tflops, g.id).toBeCloseTo(2, 1);
    expect(findGpu('h100-sxm')!.bf16Tflops).toBe(989.5);
    expect(findGpu('mi300x')!.bf16Tflops).toBe(1307.4);
  });
  it('ids and the old ids links used are unique and resolve to one entry each', () => {
    const ids = GPUS.map((g) => g.id);
    const aliases = Object.keys(gpuAliases());
    expect(new Set([...ids, ...aliases]).size).toBe(ids.length + aliases.length);
    expect(findGpu('h100')!.id).toBe('h100-sxm');
    const modelIds = MODELS.flatMap((m) => [m.id, ...(m.aliases ?? [])]);
    expect(new Set(modelIds).size).toBe(modelIds.length);
    for (const m of MODELS) expect(m.source, m.id).toMatch(/^https:\/\/huggingface\.co\/.+config\.json$|arxiv\.org/);
  });
});
