import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import {
  checkCrossEntropy,
  createCrossEntropyBackward,
  createCrossEntropyForward,
  CROSS_ENTROPY_TOLERANCE,
  crossEntropyBackward,
  crossEntropyForward,
  gpuTargets,
  IGNORE_TARGET,
} from '../../src/kernels/crossentropy';
import { prepareOp } from '../../src/kernels/op';
import { xorshift32 } from '../../src/kernels/random';
import { expectCountsEqualCost, expectSlot, slotBits } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

// Ragged: a vocabulary past one 64-wide workgroup and not a multiple of it; more rows than the
// mean's 256 invocations with a tiny vocabulary; every third row ignored in the first.
const SHAPES = [
  { rows: 7, vocab: 70, ignoreEvery: 3 },
  { rows: 300, vocab: 5, ignoreEvery: 0 },
];

describe('softmax cross-entropy kernels on Dawn', () => {
  for (const d of SHAPES) {
    it(`${d.rows} rows × vocab ${d.vocab}: loss, mean, dlogits match float64; counts equal the cost`, async () => {
      const rt = await testRuntime();
      const logits = randomFloats(d.rows * d.vocab, 1, -8, 8);
      const next = xorshift32(2);
      const targets = Array.from({ length: d.rows }, (_, r) =>
        d.ignoreEvery && r % d.ignoreEvery === 1 ? IGNORE_TARGET : next() % d.vocab,
      );
      const want = crossEntropyForward(logits, targets, d.rows, d.vocab);
      const t = gpuTargets(targets);
      const fwd = await prepareOp(
        rt,
        await createCrossEntropyForward(rt, d, { instrumented: true }),
        { logits, targets: t, losses: d.rows * 4, lse: d.rows * 4, stats: 8 },
        'losses',
      );
      try {
        await runSteps(rt.device, fwd.steps);
        await expectSlot(fwd, 'losses', want.losses, CROSS_ENTROPY_TOLERANCE);
        const lse = await expectSlot(fwd, 'lse', want.logsumexp, CROSS_ENTROPY_TOLERANCE);
        const stats = await expectSlot(fwd, 'stats', [want.meanLoss, want.scored], CROSS_ENTROPY_TOLERANCE);
        expect(stats[1]).toBe(want.scored);
        await expectCountsEqualCost(rt.device, fwd);
        const dLoss = 2;
        const bwdOp = await createCrossEntropyBackward(rt, d, { instrumented: true, dLoss });
        const bwd = await prepareOp(
          rt,
          bwdOp,
          { logits, targets: t, lse, stats, dlogits: d.rows * d.vocab * 4 },
          'dlogits',
        );
        try {
          await runSteps(rt.device, bwd.steps);
          const wantD = crossEntropyBackward(logits, targets, d.rows, d.vocab, dLoss);
          await expectSlot(bwd, 'dlogits', wantD, CROSS_ENTROPY_TOLERANCE);
          await expectCountsEqualCost(rt.device, bwd);
          bwdOp.setLossScale(1);
          await runSteps(rt.device, bwd.steps);
          await expectSlot(
            bwd,
            'dlogits',
            crossEntropyBackward(logits, targets, d.rows, d.vocab, 1),
            CROSS_ENTROPY_TOLERANCE,
          );
          expect(await slotBits(rt.device, bwd, 'dlogits')).toEqual(await slotBits(rt.device, bwd, 'dlogits'));
        } finally {
          bwd.dispose();
        }
      } finally {
        fwd.dispose();
      }
    });
  }

  it('all rows ignored: mean 0, gradient 0, no NaN', async () => {
    const rt = await testRuntime();
    const d = { rows: 3, vocab: 4 };
    const logits = randomFloats(12, 3);
    const t = gpuTargets([IGNORE_TARGET, IGNORE_TARGET, IGNORE_TARGET]);
    // Instrumented builds, so the pipelines compiled above are reused (SwiftShader compiles slowly).
    const fwd = await prepareOp(
      rt,
      await createCrossEntropyForward(rt, d, { instrumented: true }),
      { logits, targets: t, losses: 12, lse: 12, stats: 8 },
      'stats',
    );
    try {
      await runSteps(rt.device, fwd.steps);
      expect(Array.from(await fwd.read())).toEqual([0, 0]);
      const bwd = await prepareOp(
        rt,
        await createCrossEntropyBackward(rt, d, { instrumented: true }),
        { logits, targets: t, lse: await fwd.readSlot('lse'), stats: new Float32Array(2), dlogits: 48 },
        'dlogits',
      );
      await runSteps(rt.device, bwd.steps);
      expect(Array.from(await bwd.read())).toEqual(new Array(12).fill(0));
      bwd.dispose();
    } finally {
      fwd.dispose();
    }
  });

  it('refuses bad sizes before compiling', async () => {
    const rt = await testRuntime();
    expect(() => checkCrossEntropy({ rows: 4, vocab: 1 }, rt.device.limits)).toThrow(/vocab/);
    await expect(
      createCrossEntropyForward(rt, { rows: Math.floor(rt.device.limits.maxStorageBufferBindingSize / 8), vocab: 4 }),
    ).rejects.toThrow(/binds at most/);
  });
});
