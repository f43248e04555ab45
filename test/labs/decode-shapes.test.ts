import { describe, expect, it } from 'vitest';
import { archOf, countParams, encodeConfig, findModel, type HfConfig } from '../../src/catalog';
import { defaults } from '../../src/labkit/schema';
import { meta } from '../../src/labs/decode/meta';
import { deviceTokensPerS } from '../../src/labs/decode/ModelShapes';
import { KERNEL_TOLERANCE, type DecodeParams } from '../../src/labs/decode/run';
import {
  bytesPerToken,
  HARDWARE_MAX_WEIGHTS,
  projectionsOf,
  scaleShape,
  shapeLimits,
  storedWeights,
} from '../../src/labs/decode/shapes';
import { runShapes, shapesKey } from '../../src/labs/decode/shapesRun';
import { testRuntime } from '../helpers/gpu';

const arch = (id: string) => archOf(findModel(id)!.config);
const limits = (binding: number) => ({
  maxStorageBufferBindingSize: binding,
  maxBufferSize: 2 * binding,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBuffersPerShaderStage: 8,
});

describe('a model’s weight matrices from its config', () => {
  it('Llama 3.1 70B: q, k/v, o, gate/up, down, lm_head; with the embedding and norms they are every parameter', () => {
    const p = projectionsOf(arch('llama3.1-70b'));
    expect(p.map((x) => [x.id, x.N, x.K, x.perToken])).toEqual([
      ['q', 8192, 8192, 80],
      ['kv', 1024, 8192, 160],
      ['o', 8192, 8192, 80],
      ['mlp_in', 28672, 8192, 160],
      ['mlp_out', 8192, 28672, 80],
      ['lm_head', 128256, 8192, 1],
    ]);
    const norms = 80 * 2 * 8192 + 8192;
    expect(countParams(arch('llama3.1-70b')).total - storedWeights(p) - 128256 * 8192).toBe(norms);
    // Bytes per token in 16-bit: every matrix once, 2 bytes a weight.
    const hand = 2 * (80 * (2 * 8192 * 8192 + 2 * 1024 * 8192 + 3 * 28672 * 8192) + 128256 * 8192);
    expect(bytesPerToken(p, 'f16', 128)).toBe(hand);
    expect(bytesPerToken(p, 'int4', 128)).toBeCloseTo((hand / 2) * (0.5 + 2 / 128), 0);
  });

  it('DeepSeek-V3: MLA’s five projections, 3 dense layers, experts read 8 + 1 per token of 256 + 1 stored', () => {
    const p = projectionsOf(arch('deepseek-v3'));
    expect(p.map((x) => [x.id, x.N, x.K, x.perToken, x.stored])).toEqual([
      ['q_a', 1536, 7168, 61, 61],
      ['q_b', 128 * 192, 1536, 61, 61],
      ['kv_a', 512 + 64, 7168, 61, 61],
      ['kv_b', 128 * 256, 512, 61, 61],
      ['o', 7168, 128 * 128, 61, 61],
      ['mlp_in', 18432, 7168, 6, 6],
      ['mlp_out', 7168, 18432, 3, 3],
      ['expert_in', 2048, 7168, 2 * 9 * 58, 2 * 257 * 58],
      ['expert_out', 7168, 2048, 9 * 58, 257 * 58],
      ['lm_head', 129280, 7168, 1, 1],
    ]);
    // What is not a matrix here: norms (two per layer, MLA's two latent norms, the final one), the routers, the input embedding.
    const rest = 61 * (2 * 7168 + 1536 + 512) + 7168 + 58 * 256 * 7168 + 129280 * 7168;
    expect(countParams(arch('deepseek-v3')).total - storedWeights(p)).toBe(rest);
  });
});

describe('layer shapes scaled to this device', () => {
  const sw = shapeLimits({ limits: limits(128 * 2 ** 20), software: true });
  const hw = shapeLimits({ limits: limits(128 * 2 ** 20), software: false });

  it('keeps the aspect: N and K divided alike, K a multiple of 256', () => {
    expect(scaleShape(28672, 8192, sw)).toEqual({ N: 896, K: 256, divN: 32, divK: 32, note: 'N and K ÷ 32' });
    expect(scaleShape(8192, 28672, sw)).toMatchObject({ N: 293, K: 1024, divK: 28, note: 'N and K ÷ 28' });
    expect(scaleShape(8192, 8192, hw)).toEqual({ N: 4096, K: 4096, divN: 2, divK: 2, note: 'N and K ÷ 2' });
    expect(hw.weights).toBe(HARDWARE_MAX_WEIGHTS);
    expect(hw.reason).toMatch(/time budget/);
    const small = shapeLimits({ limits: limits(32 * 2 ** 20), software: false });
    expect(small.reason).toMatch(/largest storage buffer \(32 MiB/);
    expect(scaleShape(4096, 4096, hw)).toEqual({ N: 4096, K: 4096, divN: 1, divK: 1, note: null });
  });

  it('says so where K is too small to divide: MLA’s 512-wide latent under a 1,024 side', () => {
    const s = scaleShape(32768, 512, sw);
    expect([s.N, s.K]).toEqual([1024, 256]);
    expect(s.note).toBe('N ÷ 32, K ÷ 2 (K stays a multiple of 256 for the kernel, so the aspect is not kept)');
    expect(scaleShape(4096, 576, hw).note).toBe(
      'K ÷ 1.1 (K stays a multiple of 256 for the kernel, so the aspect is not kept)',
    );
    const t = scaleShape(4096, 256, sw);
    expect(t.note).toBe('N ÷ 4, K kept (K stays a multiple of 256 for the kernel, so the aspect is not kept)');
  });
});

describe('the shapes job on this adapter', () => {
  it('runs every matrix of a pasted config (int4 here; the e2e test runs all three formats), each checked; the output head scaled and named', async () => {
    const rt = await testRuntime();
    const cfg: HfConfig = {
      model_type: 'llama',
      hidden_size: 256,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      intermediate_size: 512,
      vocab_size: 4096,
      tie_word_embeddings: false,
    };
    const p = { ...defaults(meta.schema), costModel: 'own', config: encodeConfig(cfg) } as DecodeParams;
    const r = await runShapes({ runtime: rt, signal: new AbortController().signal, progress: () => {} }, p, ['int4']);
    expect(r.key).toBe(shapesKey(p));
    expect(r.model).toBe('Your model (llama)');
    expect(r.rows.map((x) => [x.projection.id, x.run.N, x.run.K])).toEqual([
      ['q', 256, 256],
      ['kv', 128, 256],
      ['o', 256, 256],
      ['mlp_in', 512, 256],
      ['mlp_out', 256, 512],
      ['lm_head', rt.info.software ? 1024 : 4096, 256],
    ]);
    for (const row of r.rows) {
      expect(row.measured.map((m) => m.variant)).toEqual(['int4']);
      for (const m of row.measured) {
        expect(m.kernelError).toBeLessThanOrEqual(KERNEL_TOLERANCE);
        expect(m.medianMs).toBeGreaterThan(0);
      }
    }
    const t = deviceTokensPerS(r, 'int4');
    expect(t).not.toBeNull();
    // Σ per-token bytes ÷ the GB/s measured at each shape, inverted.
    const s = r.rows.reduce(
      (a, row) =>
        a + (row.projection.perToken * row.projection.N * row.projection.K * (0.5 + 2 / 128)) / (row.measured[0].effectiveGBps * 1e9),
      0,
    );
    expect(t!).toBeCloseTo(1 / s, 9);
    expect(deviceTokensPerS(r, 'f16')).toBeNull();
    await expect(
      runShapes({ runtime: rt, signal: new AbortController().signal, progress: () => {} }, { ...p, config: '' }),
    ).rejects.toThrow(/No config.json yet/);
  }, 120_000);
});
