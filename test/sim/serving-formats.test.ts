import { describe, expect, it } from 'vitest';
import { archOf, countParams, findModel } from '../../src/catalog';
import { defaults } from '../../src/labkit/schema';
import { validateParams } from '../../src/labkit/validate';
import { stepSeconds } from '../../src/sim/kvcache/costModel';
import { profileForModel } from '../../src/sim/kvcache/catalogProfile';
import { replicaFor, WEIGHT_FORMATS } from '../../src/sim/serving/models';
import { prefillCost, PREFILL_MFU } from '../../src/sim/serving/prefill';

const total = (id: string) => countParams(archOf(findModel(id)!.config)).total;

/** Weight formats in the serving model: memory and bandwidth-bound decode take the format's bytes, FP8 matmuls the FP8 peak. */
describe('serving weight formats', () => {
  it('Llama 3.1 405B in FP8 is ≈ 405 GB of weights and fits one 8 × H100 node; in BF16 it does not', () => {
    const r = replicaFor('llama3.1-405b', 'h100-sxm', 16, 'fp8');
    expect(r.profile.weightBytes).toBe(total('llama3.1-405b'));
    expect(r.profile.weightBytes / 405e9).toBeCloseTo(1, 2);
    expect(r.tp).toBe(8);
    // KV room: 90 % of 8 × 80 GiB less the weights.
    expect(r.kvBytes).toBeCloseTo(0.9 * 8 * 80 * 2 ** 30 - total('llama3.1-405b'), 0);
    expect(() => replicaFor('llama3.1-405b', 'h100-sxm', 16, 'bf16')).toThrow(
      /812 GB of BF16 weights\) does not fit on 8 × H100 SXM 80 GB/,
    );
  });

  it('DeepSeek-V3 in FP8 (671 GB) fits 8 × H200 and 8 × B200, not 8 × H100, as its deployments do', () => {
    for (const gpu of ['h200', 'b200']) {
      const r = replicaFor('deepseek-v3', gpu, 16, 'fp8');
      expect(r.tp).toBe(8);
      expect(r.profile.weightBytes).toBe(total('deepseek-v3'));
      expect(Math.round(r.profile.weightBytes / 1e9)).toBe(671);
    }
    expect(() => replicaFor('deepseek-v3', 'h100-sxm', 16, 'fp8')).toThrow(/671 GB of FP8 \(W8A8\) weights/);
  });

  it('FP8 matmuls run at the FP8 peak where the GPU has one; the A100 widens FP8 weights to BF16', () => {
    const h = replicaFor('llama3.1-405b', 'h100-sxm', 16, 'fp8');
    expect(h.profile.flopsPerS).toBe(8 * 1979e12);
    expect(h.matmulPeak).toBe('fp8');
    const a = replicaFor('llama3.1-8b', 'a100-80', 16, 'fp8');
    expect(a.profile.flopsPerS).toBe(312e12);
    expect(a.matmulPeak).toBe('bf16');
    expect(a.profile.weightBytes).toBe(total('llama3.1-8b'));
    // int4 is weight-only: 0.5 + 2.5/128 bytes, BF16 peak.
    const i = replicaFor('llama3.1-70b', 'h100-sxm', 16, 'int4');
    expect(i.profile.weightBytes).toBeCloseTo(total('llama3.1-70b') * (0.5 + 2.5 / 128), 0);
    expect(i.profile.flopsPerS).toBe(i.tp * 989.5e12);
    expect(WEIGHT_FORMATS.fp8.bytesPerWeight).toBe(1);
  });

  it('a batch-1 decode step streams the format’s bytes: 405B FP8 on 8 × H100 ≥ 405.9 GB ÷ 26.8 TB/s', () => {
    const r = replicaFor('llama3.1-405b', 'h100-sxm', 16, 'fp8');
    const { tensorParallel, ...alone } = r.profile;
    expect(tensorParallel).toBeDefined();
    const step = stepSeconds({ prefillTokens: 0, decodeTokens: 1, contextTokens: 0, swapTokens: 0 }, alone);
    expect(step - alone.overheadS).toBeCloseTo(total('llama3.1-405b') / (8 * 3350e9), 12);
  });

  it('the KV-cache lab’s profile streams the format’s bytes on its A100 (BF16 peak for every format)', () => {
    const fp8 = profileForModel('llama3.1-8b', 'fp8');
    const bf16 = profileForModel('llama3.1-8b');
    expect(fp8.weightBytes).toBe(total('llama3.1-8b'));
    expect(bf16.weightBytes).toBe(2 * total('llama3.1-8b'));
    expect(fp8.flopsPerS).toBe(bf16.flopsPerS);
    expect(fp8.kvBytesPerToken).toBe(bf16.kvBytesPerToken);
  });

  it('the serving lab takes the format from its URL and names the FP8 peak in its provenance', async () => {
    const { meta } = await import('../../src/labs/serving/meta');
    const { replicaOf, provenance } = await import('../../src/labs/serving/params');
    const v = validateParams(meta.schema, { model: 'llama3.1-405b', gpu: 'h100-sxm', weights: 'fp8' });
    expect(v.notices).toEqual([]);
    const p = { ...defaults(meta.schema), ...v.values } as Parameters<typeof replicaOf>[0];
    const r = replicaOf(p);
    expect(r.tp).toBe(8);
    expect(provenance(r)).toMatch(/on 8 × H100 SXM 80 GB in FP8 \(W8A8\) weights \(1 B each, 406 GB\).*1979 TFLOP\/s FP8 per GPU/);
  });
});

/** Prefill (time to first token) held to a hand count. */
describe('prefill: compute-bound, at a stated MFU', () => {
  it('Llama 3.1 70B, 4,096 tokens on 4 × H100 in BF16: 2·N·P + L·a·(d+d)·P² FLOPs at 50 % of 4 × 989.5 TFLOP/s, plus the all-reduces', () => {
    const r = replicaFor('llama3.1-70b', 'h100-sxm');
    const c = prefillCost(r, 4096);
    // Active matmul parameters: 70,553,706,496 less the 128,256 × 8,192 input embedding.
    const n = 70_553_706_496 - 128_256 * 8192;
    expect(total('llama3.1-70b')).toBe(70_553_706_496);
    expect(c.matmulFlops).toBe(2 * n * 4096);
    expect(c.attentionFlops).toBe(80 * 64 * (128 + 128) * 4096 * 4096);
    expect(PREFILL_MFU).toBe(0.5);
    const compute = (2 * n * 4096 + 80 * 64 * 256 * 4096 ** 2) / (4 * 989.5e12 * 0.5);
    expect(c.computeS).toBeCloseTo(compute, 12);
    expect(c.computeS).toBeCloseTo(0.2988, 4);
    const allReduce = 2 * 80 * ((1.5 * 4096 * 8192 * 2) / 450e9 + 18e-6);
    expect(c.seconds).toBeCloseTo(compute + allReduce, 12);
  });

  it('MLA attends with 192-wide keys and 128-wide values; FP8 halves the compute time on H200', () => {
    const r = replicaFor('deepseek-v3', 'h200', 16, 'fp8');
    const c = prefillCost(r, 1000);
    expect(c.attentionFlops).toBe(61 * 128 * (192 + 128) * 1000 * 1000);
    expect(c.computeS).toBeCloseTo(c.flops / (8 * 1979e12 * 0.5), 15);
    expect(() => prefillCost(r, 0)).toThrow(/whole number of tokens/);
  });

  it('a one-token prompt is bound by one read of the weights', () => {
    const r = replicaFor('llama3.1-8b', 'h100-sxm');
    const c = prefillCost(r, 1);
    expect(c.seconds).toBe(c.memoryS);
    expect(c.memoryS).toBeCloseTo((2 * total('llama3.1-8b')) / 3350e9, 15);
  });
});
