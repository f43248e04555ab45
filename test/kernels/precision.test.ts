import { describe, expect, it } from 'vitest';
import {
  BF16,
  FP16,
  castCost,
  castCounts,
  castReference,
  checkCast,
  compareBits,
  checkScale,
  decode,
  edgeCases,
  formatRange,
  logNormalGradient,
  nextScale,
  prepareCast,
  roundToFormat,
  simulateLossScale,
  DEFAULT_LOSS_SCALE,
} from '../../src/kernels/precision';
import { checkKernel } from '../../src/kernels/measure';
import { mulberry32 } from '../../src/kernels/random';
import { testRuntime } from '../helpers/gpu';

describe('fp16 / bf16 rounding reference', () => {
  it('gives the IEEE bit patterns at the known edges', () => {
    expect(roundToFormat(1, FP16)).toBe(0x3c00);
    expect(roundToFormat(-2, FP16)).toBe(0xc000);
    expect(roundToFormat(65504, FP16)).toBe(0x7bff);
    expect(roundToFormat(65519.99, FP16)).toBe(0x7bff);
    expect(roundToFormat(65520, FP16)).toBe(0x7c00); // the tie above the max rounds to "even" = ∞
    expect(roundToFormat(2 ** -24, FP16)).toBe(0x0001); // smallest subnormal
    expect(roundToFormat(2 ** -25, FP16)).toBe(0x0000); // tie between 0 and 2^-24: even = 0
    expect(roundToFormat(1.5 * 2 ** -25, FP16)).toBe(0x0001);
    expect(roundToFormat(3 * 2 ** -25, FP16)).toBe(0x0002); // tie between 1 and 2 ulps: even = 2
    expect(roundToFormat(2 ** -14, FP16)).toBe(0x0400); // smallest normal
    expect(roundToFormat(1 + 2 ** -11, FP16)).toBe(0x3c00); // tie, even stays
    expect(roundToFormat(1 + 3 * 2 ** -11, FP16)).toBe(0x3c02); // tie, odd rounds up
    expect(roundToFormat(-0, FP16)).toBe(0x8000);
    expect(roundToFormat(1, BF16)).toBe(0x3f80);
    expect(roundToFormat(1 + 2 ** -8, BF16)).toBe(0x3f80);
    expect(roundToFormat(1 + 3 * 2 ** -8, BF16)).toBe(0x3f82);
    expect(roundToFormat(1e-10, BF16)).not.toBe(0); // bf16 keeps float32's exponent range
    expect(roundToFormat(3.4028235e38, BF16)).toBe(0x7f80); // float32 max rounds past bf16's max
    expect(formatRange(FP16)).toEqual({ max: 65504, minNormal: 2 ** -14, minSubnormal: 2 ** -24 });
    expect(formatRange(BF16).max).toBeCloseTo(3.3895314e38, -31);
  });

  it('rounds every value to the nearest representable neighbour (ties to even)', () => {
    const rnd = mulberry32(5);
    for (const f of [FP16, BF16]) {
      for (let i = 0; i < 20000; i++) {
        const x = Math.fround((rnd() < 0.5 ? -1 : 1) * 10 ** (rnd() * 14 - 10));
        const b = roundToFormat(x, f);
        const v = decode(b, f);
        if (!Number.isFinite(v)) {
          expect(Math.abs(x)).toBeGreaterThanOrEqual(formatRange(f).max);
          continue;
        }
        // The neighbours one code up and down (same sign) are no closer.
        const mag = b & ~(1 << (f.mantissa + f.expBits));
        for (const nb of [mag - 1, mag + 1]) {
          if (nb < 0) continue;
          const w = decode(nb | (b & (1 << (f.mantissa + f.expBits))), f);
          if (Number.isFinite(w)) expect(Math.abs(v - x)).toBeLessThanOrEqual(Math.abs(w - x));
        }
      }
    }
  });

  it('counts: a loss scale moves fp16 underflow to representable values; bf16 barely underflows', () => {
    const g = logNormalGradient({ n: 20000, seed: 9 });
    expect(Math.min(...g.map(Math.abs))).toBeGreaterThanOrEqual(Math.fround(1e-10) * 0.999);
    expect(Math.max(...g.map(Math.abs))).toBeLessThanOrEqual(100.001);
    const plain = castCounts(g, 1, FP16);
    const scaled = castCounts(g, 2 ** 10, FP16);
    expect(plain.underflow).toBeGreaterThan(2000);
    expect(scaled.underflow).toBeLessThan(plain.underflow / 2);
    expect(castCounts(g, 2 ** 16, FP16).overflow).toBeGreaterThan(0);
    expect(castCounts(g, 1, BF16)).toEqual({ underflow: 0, subnormal: 0, overflow: 0 });
    const ref = castReference(Float32Array.of(1e-9, 7e-6, 1e5, 0, 1), 1);
    expect(ref.stats.fp16).toEqual({ underflow: 1, subnormal: 1, overflow: 1 });
    expect(ref.stats.nonzero).toBe(4);
  });
});

describe('dynamic loss scaler', () => {
  it('halves on overflow, doubles after K clean steps', () => {
    expect(nextScale(1024, 5, true, 3)).toEqual({ scale: 512, clean: 0 });
    expect(nextScale(1024, 0, false, 3)).toEqual({ scale: 1024, clean: 1 });
    expect(nextScale(1024, 2, false, 3)).toEqual({ scale: 2048, clean: 0 });
    expect(nextScale(1, 0, true, 3).scale).toBe(1);
  });

  it('over simulated steps: backs off from 2^16, then saws between overflow and growth; keeps far fewer gradients from underflowing', () => {
    const r = simulateLossScale(DEFAULT_LOSS_SCALE);
    expect(r.steps[0].scale).toBe(2 ** 16);
    expect(r.steps[0].overflow).toBe(true);
    for (let i = 1; i < r.steps.length; i++) {
      const prev = r.steps[i - 1];
      if (prev.overflow) expect(r.steps[i].scale).toBe(prev.scale / 2);
      else expect([prev.scale, prev.scale * 2]).toContain(r.steps[i].scale);
    }
    // After a doubling, exactly K clean steps preceded it.
    const K = DEFAULT_LOSS_SCALE.growthInterval;
    for (let i = K; i < r.steps.length; i++) {
      if (r.steps[i].scale > r.steps[i - 1].scale)
        expect(r.steps.slice(i - K, i).every((s) => !s.overflow && s.scale === r.steps[i - 1].scale)).toBe(true);
    }
    expect(r.skipped).toBeGreaterThan(1);
    expect(r.skipped).toBeLessThan(r.steps.length / 4);
    expect(r.meanUnderflow).toBeLessThan(r.meanUnderflowUnscaled / 3);
    expect(simulateLossScale(DEFAULT_LOSS_SCALE)).toEqual(r);
    expect(() => simulateLossScale({ ...DEFAULT_LOSS_SCALE, initScale: 1000 })).toThrow(/power of two/);
  });
});

describe('cast kernel on Dawn', () => {
  it('matches the CPU reference bit for bit on edge cases and a log-normal gradient, with and without a loss scale; counts equal the reference; traffic equals the cost model', async () => {
    const rt = await testRuntime();
    const input = new Float32Array([...edgeCases(), ...logNormalGradient({ n: 70001, seed: 4 })]);
    const k = await prepareCast(rt, input, { instrumented: true });
    try {
      for (const scale of [1, 2 ** 8, 2 ** 16, 2 ** 24]) {
        k.setScale(scale);
        k.counters.reset();
        const { check, stats, reference } = await checkCast(rt, k, input);
        expect(check.error).toBe(0);
        expect(check.checked).toBe(input.length);
        expect(stats).toEqual(reference);
        expect(await k.counters.read()).toEqual({
          bytesRead: castCost(input.length).bytesRead,
          bytesWritten: castCost(input.length).bytesWritten,
        });
        if (scale === 1) expect(stats.fp16.underflow).toBeGreaterThan(5000); // log10|g| < −7.6: about 10% of N(−5, 2)
        if (scale === 2 ** 16) expect(stats.fp16.overflow).toBeGreaterThan(0);
      }
      // read(): decoded fp16 values, then bf16 values. Input 4 is 1.0; at scale 2^24 fp16 overflows, bf16 holds it exactly.
      const v = await k.read();
      expect(v.length).toBe(2 * input.length);
      expect(input[4]).toBe(1);
      expect(v[4]).toBe(Infinity);
      expect(v[input.length + 4]).toBe(2 ** 24);
    } finally {
      k.dispose();
    }
  });

  it('ragged sizes (1, 255, 257) and a wrong reference is caught naming the index', async () => {
    const rt = await testRuntime();
    for (const n of [1, 255, 257]) {
      const input = logNormalGradient({ n, seed: n });
      const k = await prepareCast(rt, input, { instrumented: true, scale: 2 ** 12 });
      try {
        k.counters.reset();
        expect((await checkCast(rt, k, input)).check.error).toBe(0);
        expect(await k.counters.read()).toEqual({ bytesRead: 4 * n, bytesWritten: castCost(n).bytesWritten });
        const wrong = castReference(input, 2 ** 12).bits;
        wrong[n - 1] ^= 1;
        await expect(
          checkKernel(rt, k, {
            label: 'cast',
            tolerance: 0,
            compare: async () => compareBits(await k.readBits(), wrong),
          }),
        ).rejects.toThrow(new RegExp(`worst at index ${n - 1}`));
      } finally {
        k.dispose();
      }
    }
    expect(() => checkScale(3)).toThrow(/power of two/);
  });
});
