import { describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config';
import { initParams } from '../../src/model/init';
import { TrainSampler } from '../../src/model/task';
import { VOCAB } from '../../src/model/tokenizer';
import { CpuBackend } from '../../src/model/train/cpuBackend';
import { defaultSpec } from '../../src/model/train/hyper';
import { createTfjsGpt } from '../../src/peers/tfjsGpt';

/**
 * Our training step (the float64 CPU reference composed from the kernels' references, AdamW with
 * weight decay 0 and no clipping, i.e. Adam) against tfjs's autograd and tf.train.adam on its
 * WebGPU backend (Dawn on SwiftShader here): same initial weights, same batches, same constant
 * learning rate. Tolerance: tfjs computes in float32, we in float64; Adam's first steps divide
 * each gradient by its own magnitude, so float32 noise on near-zero gradients can move a few
 * weights by up to lr. Over these 6 steps the losses agreed to below 1e-6 relative and the weights to 4e-5 (lr = 1e-2); 1e-4 leaves room for
 * other float32 orderings while a wrong term in either backward (an error of order lr·|grad| on
 * every weight) moves the loss by far more after the first update.
 */
export const TFJS_LOSS_TOLERANCE = 1e-4;

describe(
  'tfjs peer: the same GPT, weights and batches in tfjs-core autograd + Adam (WebGPU)',
  { timeout: 180_000 },
  () => {
    it('losses agree step by step with ours', async () => {
      const model: GptConfig = { layers: 1, dModel: 16, heads: 2, context: 16, vocab: VOCAB, batch: 4 };
      const spec = { ...defaultSpec(model, { digits: 2, splitSeed: 1 }, 5), weightDecay: 0, clip: 0, beta2: 0.999 };
      const lr = 1e-2;
      const params = initParams(model, spec.seed);
      const ours = new CpuBackend(spec, params);
      const tfjs = await createTfjsGpt(model, params, { lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps });
      try {
        const sampler = TrainSampler.fresh(spec.task, 77);
        const a: number[] = [];
        const b: number[] = [];
        for (let t = 1; t <= 6; t++) {
          const batch = sampler.nextBatch(model.batch, model.context);
          a.push((await ours.step(batch, lr, t)).loss);
          b.push(await tfjs.step(batch));
        }
        expect(tfjs.peer.tf.getBackend()).toBe('webgpu');
        for (let i = 0; i < a.length; i++)
          expect(Math.abs(a[i] - b[i]) / a[i], `step ${i + 1}: ours ${a[i]}, tfjs ${b[i]}`).toBeLessThan(
            TFJS_LOSS_TOLERANCE,
          );
        // The updates agree too (not only the losses they were computed before).
        const wOurs = (await ours.readState()).params;
        const wTf = await tfjs.readParams();
        let worst = 0;
        for (let i = 0; i < wOurs.length; i++) worst = Math.max(worst, Math.abs(wOurs[i] - wTf[i]));
        expect(worst).toBeLessThan(0.1 * lr);
        expect(a[5]).toBeLessThan(a[0]);
      } finally {
        tfjs.dispose();
      }
    });
  },
);
