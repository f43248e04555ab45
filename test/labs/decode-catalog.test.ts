import { describe, expect, it } from 'vitest';
import { archOf, countParams, findGpu, findModel } from '../../src/catalog';
import { defaults } from '../../src/labkit/schema';
import { validateParams } from '../../src/labkit/validate';
import { meta } from '../../src/labs/decode/meta';
import { decodeStepCost, H100, SERVING_FORMATS, servingGpuOf } from '../../src/labs/decode/serving';

/** The decode lab's model-scale table reads the catalog: bytes per token at each format and the bandwidth-bound tokens/s. */
describe('decode cost table from the catalog', () => {
  it('H100 is the catalog entry, with the 8-bit peak twice BF16 as the datasheet states', () => {
    expect(H100).toMatchObject({ memoryGB: 80, bandwidthGBps: 3350, bf16Tflops: 989.5, int8Tops: 1979 });
  });

  it('Llama 3.1 70B on H100: BF16 streams 141 GB per token, 42 ms, ~24 tokens/s; W4A16 about 3.8× faster', () => {
    const P = countParams(archOf(findModel('llama3.1-70b')!.config)).total;
    const bf16 = decodeStepCost(P, SERVING_FORMATS[0], 1, H100);
    expect(bf16.weightGB).toBeCloseTo((P * 2) / 1e9, 9);
    expect(bf16.ms).toBeCloseTo(((P * 2) / 3350e9) * 1e3, 9);
    expect(Math.round(1000 / bf16.ms)).toBe(24);
    const w4 = decodeStepCost(
      P,
      SERVING_FORMATS.find((f) => f.id === 'w4a16')!,
      1,
      H100,
    );
    expect(bf16.ms / w4.ms).toBeCloseTo(2 / (0.5 + 2.5 / 128), 9);
  });

  it('the chosen GPU sets the bound: the same model on an L4 is 3350/300 times slower per token', () => {
    const P = 8.03e9;
    const l4 = servingGpuOf(findGpu('l4')!);
    expect(
      decodeStepCost(P, SERVING_FORMATS[0], 1, l4).ms / decodeStepCost(P, SERVING_FORMATS[0], 1, H100).ms,
    ).toBeCloseTo(3350 / 300, 9);
  });

  it('the table’s model and GPU are URL parameters with catalog ids (old ids accepted)', () => {
    expect(defaults(meta.schema).costModel).toBe('llama3.1-70b');
    const v = validateParams(meta.schema, { costModel: 'llama3-8b', costGpu: 'h100' });
    expect(v.values.costModel).toBe('llama3.1-8b');
    expect(v.values.costGpu).toBe('h100-sxm');
    expect(v.notices).toEqual([]);
  });
});

describe('decode cost table: your own config.json', () => {
  it('the config parameter carries a pasted model; its count drives the table', async () => {
    const { encodeConfig, decodeConfig } = await import('../../src/catalog');
    const cfg = { ...findModel('qwen2.5-7b')!.config, num_hidden_layers: 14 };
    const v = validateParams(meta.schema, { costModel: 'own', config: encodeConfig(cfg) });
    expect(v.notices).toEqual([]);
    const back = decodeConfig(v.values.config);
    expect(back.ok).toBe(true);
    if (back.ok) expect(countParams(back.arch).total).toBe(countParams(archOf(cfg)).total);
  });
});
