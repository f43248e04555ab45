import { describe, expect, it } from 'vitest';
import { archOf, countParams, encodeConfig, findModel } from '../../src/catalog';
import { defaults } from '../../src/labkit/schema';
import { parseUrl } from '../../src/labkit/url';
import { validateParams } from '../../src/labkit/validate';
import { meta as cluster } from '../../src/labs/cluster/meta';
import { meta as decode } from '../../src/labs/decode/meta';
import { meta as kvCache } from '../../src/labs/kv-cache/meta';
import { meta } from '../../src/labs/planner/meta';
import { plan, sloBatch, tpotAt } from '../../src/labs/planner/plan';
import type { PlannerParams } from '../../src/labs/planner/run';
import { meta as serving } from '../../src/labs/serving/meta';
import { stepSeconds } from '../../src/sim/kvcache/costModel';
import { replicaFor } from '../../src/sim/serving/models';
import { prefillCost } from '../../src/sim/serving/prefill';

const base = defaults(meta.schema) as PlannerParams;
const SCHEMAS = {
  cluster: cluster.schema,
  serving: serving.schema,
  'kv-cache': kvCache.schema,
  decode: decode.schema,
} as const;

/** Every linked figure must open a lab state that lab accepts unchanged. */
function checkLinks(p: ReturnType<typeof plan>) {
  for (const f of p.figures) {
    if (!f.link) continue;
    const u = parseUrl(f.link);
    const schema = SCHEMAS[u.lab as keyof typeof SCHEMAS];
    expect(schema, f.link).toBeDefined();
    expect(validateParams(schema, u.raw).notices, f.link).toEqual([]);
  }
}

describe('planner: serving', () => {
  it('Llama 3.1 70B, 200 users at 32k context, 50 ms per token on H100: replicas of 4, users per replica at the SLO', () => {
    const p = plan(base);
    const r = replicaFor('llama3.1-70b', 'h100-sxm');
    const kvPerUser = 32768 * 2 * 80 * 8 * 128 * 2;
    const memUsers = Math.floor(r.kvBytes / kvPerUser);
    const pre = prefillCost(r, 4096).seconds;
    const batch = sloBatch(r, 32768, 0.05, memUsers, pre, 512);
    expect(batch).toBeGreaterThan(0);
    expect(batch).toBeLessThanOrEqual(memUsers);
    const step = (b: number) =>
      stepSeconds({ prefillTokens: 0, decodeTokens: b, contextTokens: b * 32768, swapTokens: 0 }, r.profile) +
      (b / 512) * pre;
    expect(step(batch)).toBeLessThanOrEqual(0.05);
    if (batch < memUsers) expect(step(batch + 1)).toBeGreaterThan(0.05);
    expect(p.gpus).toBe(Math.ceil(200 / batch) * 4);
    expect(p.dollarsPerHour).toBeCloseTo(p.gpus * 2.99, 9);
    expect(p.figures.find((f) => f.label === 'KV cache per user')!.value).toBe(`${(kvPerUser / 1e9).toFixed(0)} GB`);
    checkLinks(p);
  });
  it('your price replaces the catalog’s; an impossible context is a named error', () => {
    expect(plan({ ...base, price: 1 }).priceSource).toBe('your price');
    expect(() => plan({ ...base, gpu: 'l4', model: 'llama3.1-8b', context: 1_048_576 })).toThrow(
      /needs .* GB of KV cache/,
    );
    expect(() => plan({ ...base, tpotMs: 1 })).toThrow(/longer than 1 ms per token/);
  });
});

describe('planner: prefill and weight formats', () => {
  it('time to first token is the prompt’s prefill plus the step in flight, and prefills cut the users a replica takes', () => {
    const p = { ...base, model: 'deepseek-v3', gpu: 'h200', weights: 'fp8' as const };
    const out = plan(p);
    const r = replicaFor('deepseek-v3', 'h200', 16, 'fp8');
    const pre = prefillCost(r, 4096);
    // Hand count: 2 × 36.6 B active × 4,096 + 61 × 128 × 320 × 4,096² FLOPs at half of 8 × 1,979 TFLOP/s FP8.
    const flops = 2 * 36_625_603_584 * 4096 + 61 * 128 * 320 * 4096 ** 2;
    expect(pre.flops).toBe(flops);
    expect(pre.computeS).toBeCloseTo(flops / (8 * 1979e12 * 0.5), 12);
    const memUsers = Math.floor(r.kvBytes / (32768 * r.model.kvBytesPerToken));
    const withPrefill = sloBatch(r, 32768, 0.05, memUsers, pre.seconds, 512);
    const decodeOnly = sloBatch(r, 32768, 0.05, memUsers);
    expect(withPrefill).toBeLessThan(decodeOnly);
    expect(tpotAt(r, withPrefill, 32768, pre.seconds, 512)).toBeLessThanOrEqual(0.05);
    expect(tpotAt(r, withPrefill + 1, 32768, pre.seconds, 512)).toBeGreaterThan(0.05);
    expect(out.figures.find((f) => f.label === 'Users per replica')!.value).toBe(String(withPrefill));
    expect(out.gpus).toBe(Math.ceil(200 / withPrefill) * 8);
    const ttft = pre.seconds + tpotAt(r, withPrefill, 32768, pre.seconds, 512);
    expect(out.figures.find((f) => f.label === 'Time to first token')!.value).toBe(`${(ttft * 1000).toFixed(0)} ms`);
    expect(out.figures.find((f) => f.label === 'Weights')!.value).toBe('671 GB in FP8 (W8A8)');
    checkLinks(out);
    expect(out.figures[0].link).toContain('weights=fp8');
  });
  it('Llama 3.1 405B: one 8 × H100 node in FP8 with ≈ 51 GB of weights per GPU; BF16 is a named error', () => {
    const out = plan({ ...base, model: 'llama3.1-405b', weights: 'fp8', context: 8192, prompt: 2048 });
    expect(out.figures.find((f) => f.label === 'Replica')!.value).toBe('tensor parallel 8');
    expect(out.memory[0].bytes).toBeCloseTo(405_853_388_800 / 8, 0);
    expect(() => plan({ ...base, model: 'llama3.1-405b' })).toThrow(/BF16 weights\) does not fit on 8 × H100/);
  });
  it('a first token over the target and a prompt longer than the context are named errors', () => {
    expect(() => plan({ ...base, prompt: 32768, ttftS: 0.5 })).toThrow(/first token of a 32,768-token prompt takes .* over the 500 ms target/);
    expect(() => plan({ ...base, prompt: 65536 })).toThrow(/does not fit a 32,768-token context/);
  });
});

describe('planner: training', () => {
  it('1T tokens of Llama 3.1 70B in 30 days at 40 % MFU on H100: 6·N·D FLOPs in whole nodes, a layout that fits', () => {
    const p = plan({ ...base, mode: 'train' });
    const n = countParams(archOf(findModel('llama3.1-70b')!.config)).active;
    const gpus = Math.ceil((6 * n * 1e12) / (989.5e12 * 0.4) / (30 * 86400) / 8) * 8;
    expect(p.gpus).toBe(gpus);
    const total = p.memory.reduce((a, m) => a + m.bytes, 0);
    expect(total).toBeLessThanOrEqual(80e9);
    expect(p.figures.find((f) => f.label === 'Parallelism')!.value).toMatch(/^TP \d × PP \d+ × DP \d+, ZeRO-[13]$/);
    checkLinks(p);
  });
  it('a pasted MoE config plans with its active parameters and links carry the config', () => {
    const cfg = encodeConfig(findModel('mixtral-8x7b')!.config);
    const p = plan({ ...base, mode: 'train', model: 'own', config: cfg });
    expect(p.model).toBe('Your model (mixtral)');
    checkLinks(p);
    expect(p.figures[0].link).toContain(`config=${cfg}`);
    expect(() => plan({ ...base, model: 'own', config: '' })).toThrow(/No config.json yet/);
  });
});
