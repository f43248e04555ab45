import { describe, expect, it } from 'vitest';
import {
  achievedGflops,
  attainable,
  boundBy,
  intensity,
  projectedMs,
  ridgePoint,
  roofsFromMeasured,
  roofsOfProfile,
  rooflineEfficiency,
} from '../../src/sim/roofline/model';
import { PROFILES, findProfile } from '../../src/sim/roofline/profiles';

const roofs = { bandwidthGBps: 100, peakGflops: 1000 };

describe('roofline model', () => {
  it('attainable follows the bandwidth roof below the ridge and the compute roof above it', () => {
    expect(ridgePoint(roofs)).toBe(10);
    expect(attainable(0.5, roofs)).toBe(50);
    expect(attainable(10, roofs)).toBe(1000);
    expect(attainable(1e6, roofs)).toBe(1000);
    expect(attainable(-1, roofs)).toBeNaN();
    expect(attainable(NaN, roofs)).toBeNaN();
    expect(boundBy(9.99, roofs)).toBe('memory');
    expect(boundBy(10, roofs)).toBe('compute');
  });

  it('projected time is the larger of moving the bytes and doing the FLOPs', () => {
    // 1 GB at 100 GB/s = 10 ms; 1 GFLOP at 1000 GFLOP/s = 1 ms.
    expect(projectedMs(1e9, 1e9, roofs)).toBeCloseTo(10, 12);
    // 100 GFLOP at 1000 GFLOP/s = 100 ms beats 10 ms of traffic.
    expect(projectedMs(1e11, 1e9, roofs)).toBeCloseTo(100, 12);
    expect(projectedMs(0, 0, roofs)).toBe(0);
  });

  it('a run exactly on the roof has efficiency 1', () => {
    const flops = 2e9;
    const bytes = 1e9;
    const ms = projectedMs(flops, bytes, roofs);
    expect(achievedGflops(flops, ms)).toBeCloseTo(attainable(intensity(flops, bytes), roofs), 9);
    expect(rooflineEfficiency(flops, bytes, ms, roofs)).toBeCloseTo(1, 12);
    expect(rooflineEfficiency(flops, bytes, 2 * ms, roofs)).toBeCloseTo(0.5, 12);
  });

  it('intensity of pure data movement is 0, of nothing moved is infinite', () => {
    expect(intensity(0, 64)).toBe(0);
    expect(intensity(8, 0)).toBe(Infinity);
  });

  it('measured roofs come from the copy and FMA kernels and reject bad measurements', () => {
    expect(roofsFromMeasured({ copy: { gbPerS: 12 }, fma: { gflopPerS: 300 } })).toEqual({
      bandwidthGBps: 12,
      peakGflops: 300,
    });
    expect(roofsFromMeasured({ copy: { gbPerS: 0 }, fma: { gflopPerS: 300 } })).toBeNull();
    expect(roofsFromMeasured({ copy: { gbPerS: NaN }, fma: { gflopPerS: 300 } })).toBeNull();
  });
});

describe('hardware profiles', () => {
  it('has the five reference machines with positive, sourced figures', () => {
    for (const id of ['h100-sxm', 'a100-80gb', 'rtx-4090', 'apple-m2', 'iris-xe']) {
      const p = findProfile(id);
      expect(p, id).toBeDefined();
      expect(p!.bandwidthGBps).toBeGreaterThan(0);
      expect(p!.fp32Gflops).toBeGreaterThan(0);
      expect(p!.source.length).toBeGreaterThan(10);
    }
    expect(new Set(PROFILES.map((p) => p.id)).size).toBe(PROFILES.length);
  });

  it('uses the published datasheet figures', () => {
    const h100 = findProfile('h100-sxm')!;
    expect(h100.bandwidthGBps).toBe(3350);
    expect(h100.fp32Gflops).toBe(67_000);
    expect(ridgePoint(roofsOfProfile(h100))).toBeCloseTo(20, 0);
    const a100 = findProfile('a100-80gb')!;
    expect(a100.bandwidthGBps).toBe(2039);
    expect(roofsOfProfile(a100, 'bf16').peakGflops).toBe(312_000);
  });

  it('falls back to FP32 where no BF16 figure is published', () => {
    const m2 = findProfile('apple-m2')!;
    expect(m2.bf16Gflops).toBeNull();
    expect(roofsOfProfile(m2, 'bf16')).toEqual(roofsOfProfile(m2, 'fp32'));
  });

  it('an elementwise chain on an H100 is bandwidth-bound: 16 M floats in and out take ≥ 40 µs', () => {
    const h100 = roofsOfProfile(findProfile('h100-sxm')!);
    const bytes = 2 * 16 * 2 ** 20 * 4;
    expect(projectedMs(10 * 16 * 2 ** 20, bytes, h100)).toBeCloseTo((bytes / 3350e9) * 1e3, 12);
  });
});
