import { describe, expect, it } from 'vitest';
import { ALL_REDUCES_PER_LAYER, stepSeconds, tpAllReduceSeconds, type StepWork } from '../../src/sim/kvcache/costModel';
import { replicaFor } from '../../src/sim/serving/models';

/** The serving model's tensor-parallel term, held to Megatron's 2 all-reduces per layer of 2(t−1)/t × tokens × h × bytes over the link. */
describe('tensor-parallel all-reduce in the serving step', () => {
  const r = replicaFor('llama3.1-70b', 'h100-sxm');
  const work: StepWork = { prefillTokens: 0, decodeTokens: 64, contextTokens: 64 * 1000, swapTokens: 0 };

  it('a 70B replica on H100s is 4-way tensor parallel over NVLink at 450 GB/s each way', () => {
    expect(r.tp).toBe(4);
    expect(r.profile.tensorParallel).toEqual({
      degree: 4,
      layers: 80,
      hidden: 8192,
      bytesPerValue: 2,
      linkBytesPerS: 450e9,
      latencyS: 2 * 3 * 3e-6,
    });
  });

  it('adds exactly 2 · L · (2(t−1)/t · tokens · h · bytes / link + latency) to a step', () => {
    const perAllReduceBytes = ((2 * 3) / 4) * 64 * 8192 * 2; // 1,572,864 bytes sent by each GPU
    expect(perAllReduceBytes).toBe(1_572_864);
    const expected = 2 * 80 * (perAllReduceBytes / 450e9 + 18e-6);
    expect(ALL_REDUCES_PER_LAYER).toBe(2);
    expect(tpAllReduceSeconds(64, r.profile.tensorParallel)).toBeCloseTo(expected, 15);
    const { tensorParallel, ...ideal } = r.profile;
    expect(tensorParallel).toBeDefined();
    expect(stepSeconds(work, r.profile) - stepSeconds(work, ideal)).toBeCloseTo(expected, 12);
  });

  it('one GPU pays nothing; the term grows with tokens and with t', () => {
    const one = replicaFor('llama3.1-8b', 'h100-sxm');
    expect(one.tp).toBe(1);
    expect(one.profile.tensorParallel).toBeUndefined();
    const tp = r.profile.tensorParallel!;
    expect(tpAllReduceSeconds(0, tp)).toBe(0);
    expect(tpAllReduceSeconds(128, tp) - tpAllReduceSeconds(64, tp)).toBeCloseTo(
      2 * 80 * ((1.5 * 64 * 8192 * 2) / 450e9),
      15,
    );
    const eight = replicaFor('llama3.1-70b', 'l40s');
    expect(eight.tp).toBe(8);
    // PCIe Gen4 at 32 GB/s: 2·7/8 of the activations, 14 ring steps of latency.
    expect(tpAllReduceSeconds(64, eight.profile.tensorParallel)).toBeCloseTo(
      2 * 80 * ((1.75 * 64 * 8192 * 2) / 32e9 + 14 * 3e-6),
      15,
    );
  });

  it('MLA and MoE come through: DeepSeek-V3 does not fit 8 × H100 in 16-bit, and says so', () => {
    expect(() => replicaFor('deepseek-v3', 'h100-sxm')).toThrow(/does not fit on 8 × H100 SXM 80 GB/);
    const mix = replicaFor('mixtral-8x7b', 'h100-sxm');
    expect(mix.model.activeParams).toBeLessThan(mix.model.params / 3);
    expect(mix.profile.params).toBe(mix.model.activeParams);
  });
});

describe('the serving lab says what tensor parallelism costs', () => {
  it('names the all-reduces, their share of a step and the link, only where t > 1', async () => {
    const { tpNote, provenance } = await import('../../src/labs/serving/params');
    const r = replicaFor('llama3.1-70b', 'h100-sxm');
    expect(tpNote(r)).toMatch(
      /tensor parallel over 4 GPUs: 2 all-reduces per layer × 80 layers.*2\(t−1\)\/t = 1\.50 × tokens × 8192 × 2 B per GPU over NVLink 4.*450 GB\/s/,
    );
    expect(provenance(r)).toContain(tpNote(r));
    expect(tpNote(replicaFor('llama3.1-8b', 'h100-sxm'))).toBe('');
  });
});

describe('the serving lab answers for your own config.json', () => {
  it('KV bytes, capacity and the P99 sweep for a pasted MLA + MoE config; a bad one is a named error', async () => {
    const { encodeConfig, findModel } = await import('../../src/catalog');
    const { replicaOf } = await import('../../src/labs/serving/params');
    const { meta } = await import('../../src/labs/serving/meta');
    const { defaults } = await import('../../src/labkit/schema');
    const base = { ...defaults(meta.schema), gpu: 'b200' } as Parameters<typeof replicaOf>[0];
    // DeepSeek-V3 shrunk to 8 layers: MLA KV is the latent (512 + 64 values per layer), not 2·128·128.
    const small = { ...findModel('deepseek-v3')!.config, num_hidden_layers: 8 };
    const r = replicaOf({ ...base, model: 'own', config: encodeConfig(small) });
    expect(r.model.kvBytesPerToken).toBe(8 * (512 + 64) * 2);
    expect(r.model.attention).toBe('MLA');
    expect(r.numBlocks).toBe(Math.floor(r.kvBytes / (8 * 576 * 2 * 16)));
    expect(() =>
      replicaOf({ ...base, model: 'own', config: encodeConfig({ ...small, v_head_dim: undefined }) }),
    ).toThrow(/v_head_dim: missing/);
    expect(() => replicaOf({ ...base, model: 'own', config: '' })).toThrow(/No config.json yet/);
  });
});
