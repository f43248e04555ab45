import { describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config';
import { gptForward, gptForwardBackward } from '../../src/model/cpu/gpt';
import { initParams } from '../../src/model/init';
import { paramLayout } from '../../src/model/layout';
import { Rng } from '../../src/model/rng';
import { packBatch } from '../../src/model/task';

describe('whole-model gradient check (float64)', () => {
  it('analytic gradients equal central finite differences for every parameter', () => {
    // Tiny: 2 blocks, D = 8, 2 heads, T = 8, V = 13, two rows; 1-digit addition (6-token examples).
    const c: GptConfig = { layers: 2, dModel: 8, heads: 2, context: 8, vocab: 13, batch: 2 };
    const layout = paramLayout(c);
    const params = Float64Array.from(initParams(c, 3));
    // GPT-2's init leaves biases 0 and gains 1, where some gradient terms vanish or coincide:
    // perturb every parameter so each path of the backward is exercised.
    const rng = new Rng(11);
    for (let i = 0; i < params.length; i++) params[i] += (rng.next() - 0.5) * 0.5;
    const batch = packBatch({ digits: 1, splitSeed: 0 }, c.context, [
      [7, 8],
      [3, 4],
    ]);
    const { grads } = gptForwardBackward(c, params, batch.inputs, batch.targets);
    const h = 1e-5;
    let worst = 0;
    let worstName = '';
    const scale = Math.max(...grads.map(Math.abs));
    for (const t of layout.tensors) {
      for (let i = t.offset; i < t.offset + t.size; i++) {
        const keep = params[i];
        params[i] = keep + h;
        const up = gptForward(c, params, batch.inputs, batch.targets).loss;
        params[i] = keep - h;
        const down = gptForward(c, params, batch.inputs, batch.targets).loss;
        params[i] = keep;
        const err = Math.abs((up - down) / (2 * h) - grads[i]) / scale;
        if (err > worst) {
          worst = err;
          worstName = `${t.name}[${i - t.offset}]`;
        }
      }
    }
    // Central differences in float64 err by O(h²·f''') + O(ε/h) ≈ 1e-10 of the largest gradient;
    // a wrong term in any layer's backward errs by the size of that term (≥ 1e-3 here).
    expect(worst, `worst at ${worstName}`).toBeLessThan(1e-7);
    // Every tensor gets some gradient (none left disconnected).
    for (const t of layout.tensors)
      expect(
        grads.subarray(t.offset, t.offset + t.size).some((v) => v !== 0),
        t.name,
      ).toBe(true);
  });
});
