import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { prepareOp } from '../../src/kernels/op';
import { createCastOp, createDecodeF16Op } from '../../src/kernels/precision/ops';
import { castReference, decode, FP16 } from '../../src/kernels/precision/reference';
import { expectCountsEqualCost } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

describe('the trainer’s fp16 gradient ops on Dawn', () => {
  it('decode: every fp16 bit pattern back to float32 exactly (subnormals and ∞ included), counted', async () => {
    const rt = await testRuntime();
    // All 65,536 patterns in the low halves, one more word (ragged against the 256-wide groups); the
    // high halves (bf16 in the cast's words) are noise the decode must ignore.
    const n = 65537;
    const words = new Uint32Array(n);
    for (let i = 0; i < n; i++) words[i] = ((i * 2654435761) & 0xffff0000) | (i & 0xffff);
    const op = await prepareOp(
      rt,
      await createDecodeF16Op(rt, n, { instrumented: true }),
      { words, out: n * 4 },
      'out',
    );
    try {
      await runSteps(rt.device, op.steps);
      const got = await op.read();
      for (let i = 0; i < n; i++) {
        const want = decode(i & 0xffff, FP16);
        if (Number.isNaN(want)) expect(Number.isNaN(got[i]), `pattern ${i & 0xffff}`).toBe(true);
        else if (!Object.is(got[i], want)) expect(got[i], `pattern ${(i & 0xffff).toString(16)}`).toBe(want);
      }
      await expectCountsEqualCost(rt.device, op);
    } finally {
      op.dispose();
    }
  });

  it('cast as an op on caller buffers: the cluster lab’s kernel’s bits and counts at a loss scale, then decode returns the fp16 values', async () => {
    const rt = await testRuntime();
    const n = 1000;
    // Gradient-like magnitudes from 1e-9 to 1: some underflow fp16 unscaled.
    const x = Float32Array.from(randomFloats(n, 9), (v, i) => v * 10 ** -(i % 10));
    const scale = 2 ** 10;
    const cast = await createCastOp(rt, n, { instrumented: true });
    cast.setScale(scale);
    const op = await prepareOp(rt, cast, { x, out: n * 4, stats: 7 * 4 }, 'out');
    const back = await prepareOp(rt, await createDecodeF16Op(rt, n), { words: n * 4, out: n * 4 }, 'out');
    try {
      await runSteps(rt.device, op.steps);
      const bits = new Uint32Array((await op.read()).buffer);
      const ref = castReference(x, scale);
      expect(bits).toEqual(ref.bits);
      const stats = new Uint32Array((await op.readSlot('stats')).buffer);
      expect([...stats.slice(0, 3)]).toEqual([
        ref.stats.fp16.underflow,
        ref.stats.fp16.subnormal,
        ref.stats.fp16.overflow,
      ]);
      back.write('words', bits);
      await runSteps(rt.device, back.steps);
      expect(await back.read()).toEqual(Float32Array.from(ref.bits, (b) => decode(b & 0xffff, FP16)));
      await expectCountsEqualCost(rt.device, op);
    } finally {
      op.dispose();
      back.dispose();
    }
    await expect(createCastOp(rt, 0)).rejects.toThrow(/at least one value/);
    expect(() => cast.setScale(3)).toThrow(/power of two/);
  });
});
