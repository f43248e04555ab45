import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import {
  ADAMW_TOLERANCE,
  adamwCost,
  adamwStep,
  checkAdamW,
  createAdamW,
  decayMaskOf,
  type AdamWHyper,
} from '../../src/kernels/adamw';
import { prepareOp } from '../../src/kernels/op';
import { expectCountsEqualCost, expectSlot } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

describe('AdamW kernels on Dawn', () => {
  // 1000 parameters: not a multiple of the 256-wide workgroups; two segments, decay on the first.
  const n = 1000;
  const segments = [
    { offset: 0, length: 700, decay: true },
    { offset: 700, length: 300, decay: false },
  ];
  const hp: AdamWHyper = { lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 1, maxNorm: 1 };

  it('two steps with clipping match float64 (params, m, v, norm, clip); counts equal the cost', async () => {
    const rt = await testRuntime();
    const params = randomFloats(n, 1);
    const m = new Float32Array(n);
    const v = new Float32Array(n);
    const op = await createAdamW(rt, n, { segments, instrumented: true });
    const k = await prepareOp(rt, op, { params, grads: randomFloats(n, 2), m, v, stats: 12 }, 'params');
    try {
      let want: { params: Float64Array; m: Float64Array; v: Float64Array } = {
        params: Float64Array.from(params),
        m: new Float64Array(n),
        v: new Float64Array(n),
      };
      const mask = decayMaskOf(n, segments);
      for (const step of [1, 2]) {
        // Gradients far above max_norm, so both steps clip.
        const grads = randomFloats(n, 10 + step, -3, 3);
        k.write('grads', grads);
        op.setHyper({ ...hp, step });
        await runSteps(rt.device, k.steps);
        const r = adamwStep(want.params, grads, want.m, want.v, { ...hp, step }, mask);
        expect(r.clip).toBeLessThan(0.1);
        await expectSlot(k, 'stats', [r.gradNorm, r.clip, 0], ADAMW_TOLERANCE);
        // Parameters are compared as the step they took: the metric's scale is the step, not |p|.
        const got = await k.readSlot('params');
        const moved = got.map((g, i) => g - want.params[i]);
        const wantMoved = r.params.map((p, i) => p - want.params[i]);
        const worst = Math.max(...moved.map((d, i) => Math.abs(d - wantMoved[i])));
        expect(worst / Math.max(...wantMoved.map(Math.abs))).toBeLessThan(1e-3);
        await expectSlot(k, 'params', r.params, ADAMW_TOLERANCE);
        await expectSlot(k, 'm', r.m, ADAMW_TOLERANCE);
        await expectSlot(k, 'v', r.v, ADAMW_TOLERANCE);
        want = r;
      }
      // Counting: one more run from the same state counts exactly the modelled bytes.
      await expectCountsEqualCost(rt.device, k);
      expect(k.cost).toEqual(adamwCost(n, segments).total);
    } finally {
      k.dispose();
    }
  });

  it('clipping off (max_norm 0): clip factor 1', async () => {
    const rt = await testRuntime();
    const grads = randomFloats(50, 3, -5, 5);
    const op = await createAdamW(rt, 50);
    const k = await prepareOp(
      rt,
      op,
      { params: randomFloats(50, 4), grads, m: new Float32Array(50), v: new Float32Array(50), stats: 12 },
      'stats',
    );
    try {
      op.setHyper({ ...hp, maxNorm: 0 });
      await runSteps(rt.device, k.steps);
      const stats = await k.read();
      expect(stats[1]).toBe(1);
      expect(await k.counters.read()).toEqual({ bytesRead: 0, bytesWritten: 0 });
      expect(stats[0]).toBeCloseTo(
        adamwStep(new Float64Array(50), grads, new Float64Array(50), new Float64Array(50), { ...hp, maxNorm: 0 })
          .gradNorm,
        4,
      );
    } finally {
      k.dispose();
    }
  });

  it('loss scaling: gradients scaled by S with gradScale 1/S step as unscaled ones; an overflow skips the step', async () => {
    const rt = await testRuntime();
    const S = 1024;
    const params = randomFloats(300, 6);
    const grads = randomFloats(300, 7);
    const op = await createAdamW(rt, 300, { instrumented: true });
    const k = await prepareOp(
      rt,
      op,
      { params, grads: grads.map((g) => g * S), m: new Float32Array(300), v: new Float32Array(300), stats: 12 },
      'params',
    );
    try {
      op.setHyper({ ...hp, gradScale: 1 / S });
      await runSteps(rt.device, k.steps);
      const r = adamwStep(params, grads, new Float64Array(300), new Float64Array(300), hp);
      expect(r.skipped).toBe(false);
      await expectSlot(k, 'stats', [r.gradNorm, r.clip, 0], ADAMW_TOLERANCE);
      await expectSlot(k, 'params', r.params, ADAMW_TOLERANCE);
      // One gradient overflowed to ∞: nothing moves, stats[2] says so.
      const before = await k.readSlot('params');
      const bad = grads.map((g) => g * S);
      bad[17] = Infinity;
      k.write('grads', bad);
      await runSteps(rt.device, k.steps);
      expect(Array.from(await k.readSlot('params'))).toEqual(Array.from(before));
      expect((await k.readSlot('stats'))[2]).toBe(1);
      expect(adamwStep(before, bad, r.m, r.v, { ...hp, gradScale: 1 / S }).skipped).toBe(true);
    } finally {
      k.dispose();
    }
  });

  it('refuses overlapping or out-of-range segments and a step of 0 before compiling', async () => {
    const rt = await testRuntime();
    const limits = rt.device.limits;
    expect(() =>
      checkAdamW(
        10,
        [
          { offset: 0, length: 6, decay: true },
          { offset: 5, length: 5, decay: false },
        ],
        limits,
      ),
    ).toThrow(/overlaps/);
    expect(() => checkAdamW(10, [{ offset: 8, length: 5, decay: true }], limits)).toThrow(/runs past/);
    expect(() => checkAdamW(10, [], limits)).toThrow(/segment/);
    await expect(createAdamW(rt, Math.floor(limits.maxStorageBufferBindingSize / 4) + 1)).rejects.toThrow(
      /binds at most/,
    );
    const op = await createAdamW(rt, 8);
    expect(() => op.setHyper({ ...hp, step: 0 })).toThrow(/step/);
    op.dispose();
  });
});
