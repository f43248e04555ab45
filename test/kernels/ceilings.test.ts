import { describe, expect, it } from 'vitest';
import { copyCost, copyReference, fmaCost, fmaReference, prepareCopy, prepareFma } from '../../src/kernels/ceilings';
import { maxAbsError, measureKernel } from '../../src/kernels/measure';
import { randomFloats, testRuntime } from '../helpers/gpu';

describe('device ceiling kernels on Dawn', () => {
  it('runs on a real WebGPU adapter', async () => {
    const rt = await testRuntime();
    expect(rt.info.name).not.toBe('unknown/unknown');
    expect(rt.info.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(256);
  });

  it('copy kernel output equals its input exactly, for a size that is not a multiple of the workgroup', async () => {
    const rt = await testRuntime();
    const n = 4 * 1000 + 4 * 37;
    const input = randomFloats(n, 7);
    const k = await prepareCopy(rt, n, input);
    try {
      await measureKernel(rt.device, k, { warmup: 0, samples: 1, minSampleMs: 0 });
      const out = await k.read();
      expect(Array.from(out)).toEqual(Array.from(copyReference(input)));
    } finally {
      k.dispose();
    }
  });

  it('FMA chain matches the float32 CPU reference', async () => {
    const rt = await testRuntime();
    const n = 4 * 300;
    const input = randomFloats(n, 3, -2, 2);
    const k = await prepareFma(rt, n, 64, input);
    try {
      const { runSteps } = await import('../../src/gpu/dispatch');
      await runSteps(rt.device, k.steps);
      const out = await k.read();
      const { error } = maxAbsError(out, fmaReference(input, 64));
      // fma() may or may not round once; the chain contracts errors, so 1e-5 is ample.
      expect(error).toBeLessThan(1e-5);
    } finally {
      k.dispose();
    }
  });

  it('reports bandwidth and FLOP rate from the cost model with a named timing source', async () => {
    const rt = await testRuntime();
    const copy = await prepareCopy(rt, 1 << 18);
    const fma = await prepareFma(rt, 1 << 14, 256);
    try {
      const mc = await measureKernel(rt.device, copy, { warmup: 1, samples: 3, minSampleMs: 1 });
      expect(mc.bytesMoved).toBe(2 * (1 << 18) * 4);
      expect(mc.gbPerS).toBeGreaterThan(0);
      expect(mc.timing).toBe(rt.info.timestampQuery ? 'timestamp' : 'wallclock');
      const mf = await measureKernel(rt.device, fma, { warmup: 1, samples: 3, minSampleMs: 1, forceWallclock: true });
      expect(mf.timing).toBe('wallclock');
      expect(mf.flops).toBe(fmaCost(1 << 12, 256).flops);
      expect(mf.gflopPerS).toBeGreaterThan(0);
      expect(copyCost(10).bytesRead).toBe(160);
    } finally {
      copy.dispose();
      fma.dispose();
    }
  });
});
