import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/labkit/schema';
import { clampLayer, SOFTWARE_MAX_SIDE } from '../../src/labs/decode/clamp';
import { meta } from '../../src/labs/decode/meta';
import {
  KERNEL_TOLERANCE,
  runDecode,
  runSweep,
  SWEEP_M,
  SWEEP_VARIANTS,
  type DecodeParams,
} from '../../src/labs/decode/run';
import { FEATURE_BUILDS } from '../../src/kernels/quant';
import { testRuntime } from '../helpers/gpu';

const limits = {
  maxStorageBufferBindingSize: 128 * 2 ** 20,
  maxBufferSize: 256 * 2 ** 20,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBuffersPerShaderStage: 8,
};

function ctx(rt: Awaited<ReturnType<typeof testRuntime>>) {
  return { runtime: rt, signal: new AbortController().signal, progress: () => {} };
}

describe('decode lab: device clamps', () => {
  it('limits software adapters to a small layer and says why', () => {
    const r = clampLayer(4096, 14336, { limits, software: true });
    expect([r.N, r.K]).toEqual([SOFTWARE_MAX_SIDE, SOFTWARE_MAX_SIDE]);
    expect(r.notices[0].message).toMatch(/software rasterizer/);
  });
  it('shrinks a layer whose f32 weights exceed the largest storage binding, with the sizes', () => {
    const r = clampLayer(14336, 4096, { limits, software: false });
    expect(r.N * r.K * 4).toBeLessThanOrEqual(limits.maxStorageBufferBindingSize);
    expect(r.K).toBe(4096);
    expect(r.notices[0].message).toMatch(/14336×4096 f32 weight matrix \(224 MiB\) exceeds/);
    expect(clampLayer(4096, 4096, { limits, software: false }).notices).toEqual([]);
  });
});

describe('decode lab run on Dawn', () => {
  const params = { ...(defaults(meta.schema) as DecodeParams), N: 96, K: 512, M: 2, gamma: 2, group: '32' as const };
  it('checks every format against its dequantized weights, pays a quantization error that grows as bits shrink, and measures v', async () => {
    const rt = await testRuntime();
    const r = await runDecode(ctx(rt), params);
    expect(r.rows.map((x) => x.variant)).toEqual(['f32', 'f16', 'int8', 'int4', 'int4-zp']);
    for (const row of r.rows) {
      expect(row.kernelError).toBeLessThan(KERNEL_TOLERANCE);
      expect(row.medianMs).toBeGreaterThan(0);
      expect(row.effectiveGBps).toBeCloseTo(row.compulsoryBytes / (row.medianMs * 1e6), 9);
    }
    const err = Object.fromEntries(r.rows.map((x) => [x.variant, x.quantErrorRms]));
    expect(err.f32).toBeLessThan(1e-6);
    expect(err.f16).toBeLessThan(err.int8);
    expect(err.int8).toBeLessThan(err.int4);
    expect(r.rows.map((x) => x.bitsPerWeight)).toEqual([32, 16, 8 + 32 / 512, 4 + 16 / 32, 4 + 24 / 32]);
    // AWQ on: both int4 formats searched; on this layer (1 % outlier channels, 20×) it helps.
    expect(r.awq.map((a) => a.variant)).toEqual(['int4', 'int4-zp']);
    for (const a of r.awq) expect(a.awqError).toBeLessThanOrEqual(a.rtnError * 1.001);
    expect(r.verify!.gamma).toBe(2);
    expect(r.verify!.v).toBeCloseTo(r.verify!.tVerify / r.verify!.t1, 12);
    // Optional-feature builds: run and checked where the adapter has the feature (subgroups on
    // SwiftShader), otherwise listed with the stated reason (shader-f16 on SwiftShader).
    expect(r.features.map((f) => f.build)).toEqual(FEATURE_BUILDS.map((b) => b.build));
    for (const f of r.features) {
      const b = FEATURE_BUILDS.find((x) => x.build === f.build)!;
      expect(f.offered).toBe(rt.info.features.includes(b.feature));
      if (f.offered) {
        expect(f.kernelError).toBeLessThan(b.tolerance);
        expect(f.medianMs).toBeGreaterThan(0);
        expect(f.twinMs).toBe(r.rows.find((x) => x.variant === b.weights)!.medianMs);
      } else expect(f.reason).toBe(b.notOffered);
    }
  }, 240_000);

  it('sweeps f32, int8 and int4 over M = 1..64, every point checked', async () => {
    const rt = await testRuntime();
    const r = await runSweep(ctx(rt), { ...params, N: 64, K: 256 });
    expect(r.points).toHaveLength(SWEEP_VARIANTS.length * SWEEP_M.length);
    for (const p of r.points) expect(p.kernelError).toBeLessThan(KERNEL_TOLERANCE);
  }, 240_000);

  it('refuses a K the formats cannot share, naming the rule', async () => {
    const rt = await testRuntime();
    await expect(runDecode(ctx(rt), { ...params, K: 300 })).rejects.toThrow(/K = 300: the lab needs a multiple of 256/);
  });
});
