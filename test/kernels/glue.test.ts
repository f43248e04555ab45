import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { createAddOp, createHeadsOp, headsReference, type HeadsDims } from '../../src/kernels/glue';
import { prepareOp } from '../../src/kernels/op';
import { expectCountsEqualCost } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

describe('trainer glue kernels on Dawn', () => {
  // B 3, T 5, D 12 in 3 heads of 4, the K block (part 1) of fused QKV rows of width 36: ragged against 256.
  const d: HeadsDims = { batch: 3, seq: 5, d: 12, heads: 3, width: 36, part: 1 };
  const rows = randomFloats(d.batch * d.seq * d.width, 4);

  it('rows → heads → rows moves every element to the reference place, and counts one load and one store each', async () => {
    const rt = await testRuntime();
    const n = d.batch * d.seq * d.d;
    const to = await prepareOp(
      rt,
      await createHeadsOp(rt, d, true, { instrumented: true }),
      { src: rows, dst: n * 4 },
      'dst',
    );
    const back = await prepareOp(
      rt,
      await createHeadsOp(rt, d, false, { instrumented: true }),
      { src: n * 4, dst: rows.length * 4 },
      'dst',
    );
    try {
      await runSteps(rt.device, to.steps);
      const heads = await to.read();
      expect(heads).toEqual(headsReference(rows, d, true));
      await expectCountsEqualCost(rt.device, to);
      back.write('src', heads);
      await runSteps(rt.device, back.steps);
      const got = await back.read();
      // Only the K block comes back; the rest of the rows stay zero.
      expect(got).toEqual(headsReference(heads, d, false, new Float32Array(rows.length)));
      for (let r = 0; r < d.batch * d.seq; r++)
        for (let c = 0; c < d.d; c++) expect(got[r * d.width + d.d + c]).toBe(rows[r * d.width + d.d + c]);
      await expectCountsEqualCost(rt.device, back);
    } finally {
      to.dispose();
      back.dispose();
    }
  });

  it('add: out = a + b exactly, counted', async () => {
    const rt = await testRuntime();
    const a = randomFloats(301, 5);
    const b = randomFloats(301, 6);
    const op = await prepareOp(rt, await createAddOp(rt, 301, { instrumented: true }), { a, b, out: 301 * 4 }, 'out');
    try {
      await runSteps(rt.device, op.steps);
      expect(await op.read()).toEqual(Float32Array.from(a, (x, i) => Math.fround(x + b[i])));
      await expectCountsEqualCost(rt.device, op);
    } finally {
      op.dispose();
    }
  });

  it('refuses a block that does not fit its rows before compiling', async () => {
    const rt = await testRuntime();
    await expect(createHeadsOp(rt, { ...d, part: 3 }, true)).rejects.toThrow(/does not fit rows of 36/);
    await expect(createHeadsOp(rt, { ...d, heads: 5 }, true)).rejects.toThrow(/not a multiple of heads 5/);
  });
});
