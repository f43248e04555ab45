import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { checkHeads, createHeadPermute, fromHeads, toHeads } from '../../src/kernels/heads';
import { prepareOp } from '../../src/kernels/op';
import { expectCountsEqualCost } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

describe('head permutes on Dawn', () => {
  // A fused QKV row of 3·C with C = 3 heads × 5: the k third is taken out and put back.
  const l = { batch: 2, seq: 7, heads: 3, headDim: 5, stride: 45, offset: 15 };
  const rows = randomFloats(l.batch * l.seq * l.stride, 1);

  it('rows → heads and heads → rows copy exactly the reference positions and count the cost', async () => {
    const rt = await testRuntime();
    const n = l.batch * l.seq * l.heads * l.headDim;
    const split = await prepareOp(
      rt,
      await createHeadPermute(rt, l, 'heads', { instrumented: true }),
      { rows, heads: n * 4 },
      'heads',
    );
    const heads = randomFloats(n, 2);
    const merge = await prepareOp(
      rt,
      await createHeadPermute(rt, l, 'rows', { instrumented: true }),
      { heads, rows },
      'rows',
    );
    try {
      await runSteps(rt.device, split.steps);
      expect(Array.from(await split.read())).toEqual(Array.from(Float32Array.from(toHeads(rows, l))));
      await expectCountsEqualCost(rt.device, split);
      await runSteps(rt.device, merge.steps);
      // Columns outside the k third keep their values.
      expect(Array.from(await merge.read())).toEqual(Array.from(Float32Array.from(fromHeads(heads, rows, l))));
      await expectCountsEqualCost(rt.device, merge);
    } finally {
      split.dispose();
      merge.dispose();
    }
  });

  it('refuses a head range past the row before compiling', async () => {
    const rt = await testRuntime();
    expect(() => checkHeads({ ...l, offset: 31 }, rt.device.limits)).toThrow(/do not fit/);
    await expect(createHeadPermute(rt, { ...l, heads: 0 }, 'heads')).rejects.toThrow(RangeError);
  });
});
