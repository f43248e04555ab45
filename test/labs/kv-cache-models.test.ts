import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/labkit/schema';
import { meta } from '../../src/labs/kv-cache/meta';
import { numBlocksFor, runSimPart, type KvParams } from '../../src/labs/kv-cache/simPart';
import { LLAMA7B_A100 } from '../../src/sim/kvcache/costModel';
import { profileForModel } from '../../src/sim/kvcache/catalogProfile';

/** The KV-cache lab sizes its blocks with the chosen catalog model's KV bytes per token. */
describe('kv-cache lab: capacity per catalog model', () => {
  const base = { ...defaults(meta.schema), memory: 8, memoryUnit: 'GiB', requests: 40 } as KvParams;

  it('the default model is the LLaMA-7B the cost model was written for: 512 KiB of K/V per token', () => {
    expect(profileForModel('llama2-7b').kvBytesPerToken).toBe(LLAMA7B_A100.kvBytesPerToken);
    expect(profileForModel('llama2-7b').kvBytesPerToken).toBe(512 * 1024);
  });

  it('8 GiB holds 2^33 / (KV bytes × 16) blocks: GQA (Llama 3.1 70B, 320 KiB) and MLA (DeepSeek-V3, 70,272 B)', () => {
    const blocks = (model: string) => numBlocksFor({ ...base, model: model as KvParams['model'] });
    expect(blocks('llama2-7b')).toBe(Math.floor(2 ** 33 / (512 * 1024 * 16)));
    expect(blocks('llama3.1-70b')).toBe(Math.floor(2 ** 33 / (320 * 1024 * 16)));
    expect(blocks('deepseek-v3')).toBe(Math.floor(2 ** 33 / (70_272 * 16)));
  });

  it('a run with a GQA model keeps more requests in memory than with MHA at the same GiB', () => {
    const mha = runSimPart({ ...base, model: 'llama2-7b' });
    const gqa = runSimPart({ ...base, model: 'mistral-7b' });
    expect(gqa.config.numBlocks).toBe(4 * mha.config.numBlocks);
    expect(gqa.config.gib).toBeCloseTo(mha.config.gib, 2);
  });
});

describe('kv-cache lab: your own config.json', () => {
  it('sizes blocks with the pasted config, names a bad one, and says which model it used', async () => {
    const { encodeConfig, findModel } = await import('../../src/catalog');
    const base = { ...defaults(meta.schema), memory: 8, memoryUnit: 'GiB', requests: 40, model: 'own' } as KvParams;
    const mqa = { ...findModel('llama2-7b')!.config, num_key_value_heads: 1, model_type: 'mqa-test' };
    const r = runSimPart({ ...base, config: encodeConfig(mqa) });
    expect(r.config.kvBytesPerToken).toBe(2 * 32 * 1 * 128 * 2);
    expect(r.config.numBlocks).toBe(Math.floor(2 ** 33 / (16 * 1024 * 16)));
    expect(r.config.model).toMatch(/^Your model \(mqa-test\) \(16-bit, MQA\)/);
    expect(() => runSimPart({ ...base, config: encodeConfig({ ...mqa, vocab_size: -1 }) })).toThrow(
      /vocab_size: must be positive/,
    );
    expect(() => runSimPart({ ...base, config: '' })).toThrow(/No config.json yet/);
  });
});
