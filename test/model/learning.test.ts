import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/model/train/cpuBackend';
import { defaultSpec } from '../../src/model/train/hyper';
import { Trainer } from '../../src/model/train/trainer';
import { VOCAB } from '../../src/model/tokenizer';

describe('the smallest configuration learns (float64 CPU reference backend)', () => {
  it('held-out loss falls from ln V to below what knowing only the answer format can reach', async () => {
    // 1 layer, width 32, 2 heads, 16-token rows, batch 16, 2-digit sums: 13,696 parameters.
    const spec = {
      ...defaultSpec(
        { layers: 1, dModel: 32, heads: 2, context: 16, vocab: VOCAB, batch: 16 },
        { digits: 2, splitSeed: 1 },
        1,
      ),
      steps: 150,
      warmup: 15,
      evalExamples: 128,
    };
    const t = await Trainer.create(spec, async (s, p) => new CpuBackend(s, p));
    const before = await t.evaluate();
    // At init the logits are near zero: the held-out loss is within a few hundredths of ln 13.
    expect(Math.abs(before.loss - Math.log(VOCAB))).toBeLessThan(0.05);
    for (let i = 0; i < spec.steps; i++) await t.trainStep();
    const after = await t.evaluate();
    // The bound: a model that knows only the format (answers are digits; the third digit of a
    // 2-digit sum is 0 or 1, about evenly) but ignores the operands scores
    // (ln 10 + ln 10 + ln 2) / 3 = 1.766 nats per answer digit. Below 1.70 it uses the operands.
    const formatOnly = (2 * Math.log(10) + Math.log(2)) / 3;
    expect(formatOnly).toBeCloseTo(1.766, 3);
    expect(after.loss).toBeLessThan(1.7);
    expect(after.loss).toBeLessThan(0.67 * Math.log(VOCAB));
  }, 120_000);
});
