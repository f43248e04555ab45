import { describe, expect, it } from 'vitest';
import { copyCost, copyReference, fmaCost, fmaReference, prepareCopy, prepareFma } from '../../src/kernels/ceilings';
import { runSteps } from '../../src/gpu/dispatch';
import {
  compareOutputs,
  KernelCheckError,
  maxAbsError,
  measureChecked,
  measureKernel,
} from '../../src/kernels/measure';
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

describe('device ceiling kernels: traffic counters and the checked measurement', () => {
  it('copy and FMA count exactly their cost model, and the timing builds count nothing', async () => {
    const rt = await testRuntime();
    const n = 4 * 1000 + 4 * 37;
    for (const instrumented of [true, false]) {
      const copy = await prepareCopy(rt, n, randomFloats(n, 7), { instrumented });
      const fma = await prepareFma(rt, n, 16, undefined, { instrumented });
      try {
        for (const k of [copy, fma]) {
          k.counters.reset();
          await runSteps(rt.device, k.steps);
          const want = instrumented
            ? { bytesRead: k.cost.bytesRead, bytesWritten: k.cost.bytesWritten }
            : { bytesRead: 0, bytesWritten: 0 };
          expect(await k.counters.read()).toEqual(want);
        }
      } finally {
        copy.dispose();
        fma.dispose();
      }
    }
  });

  it('measureChecked refuses a wrong output before timing, naming the worst index and both values', async () => {
    const rt = await testRuntime();
    const n = 4 * 64;
    const input = randomFloats(n, 5);
    const k = await prepareCopy(rt, n, input);
    try {
      const wrong = input.slice();
      wrong[77] += 0.5;
      const err = await measureChecked(rt, k, { label: 'copy test', reference: wrong, tolerance: 1e-6 }).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(KernelCheckError);
      expect(err.message).toContain('copy test');
      expect(err.message).toContain('index 77');
      expect(err.check.index).toBe(77);
      expect(err.check.maxAbs).toBeCloseTo(0.5, 6);
      const ok = await measureChecked(rt, k, {
        label: 'copy test',
        reference: input,
        tolerance: 0,
        timing: { warmup: 0, samples: 1, minSampleMs: 0 },
      });
      expect(ok.check).toMatchObject({ error: 0, checked: n });
      expect(ok.medianMs).toBeGreaterThan(0);
    } finally {
      k.dispose();
    }
  });

  it('the one error metric: max |got − want| over max |want|, sampled positions named in the whole output', () => {
    expect(compareOutputs([1, 2, 4.5], [1, 2, 4])).toMatchObject({
      error: 0.125,
      maxAbs: 0.5,
      scale: 4,
      index: 2,
      got: 4.5,
      want: 4,
    });
    expect(compareOutputs([0, 0], [0, 0])).toMatchObject({ error: 0, scale: 1, index: -1 });
    expect(compareOutputs([0, NaN], [0, 1]).error).toBe(Infinity);
    // Sampled: the reference holds values at positions 3 and 9 of a 10-element output.
    const got = new Float32Array(10);
    got[9] = 2;
    expect(compareOutputs(got, [0, 1], [3, 9])).toMatchObject({ index: 9, maxAbs: 1, error: 1, checked: 2 });
  });
});
