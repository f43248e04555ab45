import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { LimitError } from '../../src/gpu/errors';
import {
  createEmbeddingBackward,
  createEmbeddingForward,
  EMBEDDING_TOLERANCE,
  embeddingBackward,
  embeddingForward,
} from '../../src/kernels/embedding';
import { prepareOp } from '../../src/kernels/op';
import { xorshift32 } from '../../src/kernels/random';
import { expectCountsEqualCost, expectSlot, slotBits } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

describe('embedding kernels on Dawn', () => {
  // 70 channels: past one 64-column scatter workgroup; 3×5 = 15 positions, fewer than a workgroup
  // of token ids; vocabulary 7 with row 6 never used (its gradient must be written as zeros).
  const d = { batch: 3, seq: 5, channels: 70, vocab: 7 };
  const tMax = 8;
  const next = xorshift32(3);
  const tokens = Uint32Array.from({ length: d.batch * d.seq }, () => next() % 6);
  const wte = randomFloats(d.vocab * d.channels, 1);
  const wpe = randomFloats(tMax * d.channels, 2);
  const dout = randomFloats(d.batch * d.seq * d.channels, 4);

  it('gather forward and scatter-add backward match float64; counts equal the cost; deterministic', async () => {
    const rt = await testRuntime();
    const fwd = await prepareOp(
      rt,
      await createEmbeddingForward(rt, d, { instrumented: true }),
      { tokens, wte, wpe, out: dout.length * 4 },
      'out',
    );
    const prior = randomFloats(d.vocab * d.channels, 5);
    const bwd = await prepareOp(
      rt,
      await createEmbeddingBackward(rt, d, { instrumented: true, accumulate: true }),
      { tokens, dout, dwte: prior, dwpe: d.seq * d.channels * 4 },
      'dwte',
    );
    try {
      await runSteps(rt.device, fwd.steps);
      await expectSlot(fwd, 'out', embeddingForward(tokens, wte, wpe, d), EMBEDDING_TOLERANCE);
      await expectCountsEqualCost(rt.device, fwd);
      await runSteps(rt.device, bwd.steps);
      const want = embeddingBackward(tokens, dout, d);
      await expectSlot(
        bwd,
        'dwte',
        want.dwte.map((v, i) => v + prior[i]),
        EMBEDDING_TOLERANCE,
      );
      await expectSlot(bwd, 'dwpe', want.dwpe, EMBEDDING_TOLERANCE);
      bwd.write('dwte', prior);
      await expectCountsEqualCost(rt.device, bwd);
      // Without accumulation, the same scatter twice gives the same bits.
      const plain = await prepareOp(
        rt,
        await createEmbeddingBackward(rt, d),
        { tokens, dout, dwte: prior.length * 4, dwpe: d.seq * d.channels * 4 },
        'dwte',
      );
      const first = await slotBits(rt.device, plain, 'dwte');
      expect(await slotBits(rt.device, plain, 'dwte')).toEqual(first);
      await expectSlot(plain, 'dwte', want.dwte, EMBEDDING_TOLERANCE);
      expect(Array.from(await plain.readSlot('dwte')).slice(6 * d.channels)).toEqual(new Array(d.channels).fill(0));
      plain.dispose();
    } finally {
      fwd.dispose();
      bwd.dispose();
    }
  });

  it('refuses a vocabulary past the dispatch limit and empty shapes before compiling', async () => {
    const rt = await testRuntime();
    await expect(
      createEmbeddingBackward(rt, { ...d, vocab: rt.device.limits.maxComputeWorkgroupsPerDimension + 1, channels: 1 }),
    ).rejects.toThrow(LimitError);
    await expect(createEmbeddingForward(rt, { ...d, seq: 0 })).rejects.toThrow(RangeError);
  });
});
