import { describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config';
import { GpuBackend } from '../../src/model/gpu/gpuBackend';
import { initParams } from '../../src/model/init';
import { TrainSampler } from '../../src/model/task';
import { VOCAB } from '../../src/model/tokenizer';
import { CpuBackend } from '../../src/model/train/cpuBackend';
import { defaultSpec } from '../../src/model/train/hyper';
import { testRuntime } from '../helpers/gpu';

describe('GPU training step on Dawn (SwiftShader)', { timeout: 180_000 }, () => {
  it('its losses and weights follow the float64 reference step by step', async () => {
    const rt = await testRuntime();
    // Two layers so residual and block-to-block gradients are exercised; head dim 32 (flash's smallest).
    const model: GptConfig = { layers: 2, dModel: 32, heads: 1, context: 16, vocab: VOCAB, batch: 2 };
    const spec = defaultSpec(model, { digits: 2, splitSeed: 1 }, 4);
    const params = initParams(model, spec.seed);
    const cpu = new CpuBackend(spec, params);
    const gpu = await GpuBackend.create(rt, spec, params);
    try {
      const sampler = TrainSampler.fresh(spec.task, 3);
      for (let t = 1; t <= 4; t++) {
        const batch = sampler.nextBatch(model.batch, model.context);
        const a = await cpu.step(batch, 1e-3, t);
        const b = await gpu.step(batch, 1e-3, t);
        expect(Math.abs(a.loss - b.loss) / a.loss, `step ${t}`).toBeLessThan(1e-4);
        expect(Math.abs(a.gradNorm - b.gradNorm) / a.gradNorm, `step ${t} norm`).toBeLessThan(1e-3);
      }
      const wc = (await cpu.readState()).params;
      const wg = (await gpu.readState()).params;
      let worst = 0;
      for (let i = 0; i < wc.length; i++) worst = Math.max(worst, Math.abs(wc[i] - wg[i]));
      // Measured: losses within 1e-7 relative, weights within 3e-6 after 4 steps at lr 1e-3.
      expect(worst).toBeLessThan(1e-4);
    } finally {
      gpu.dispose();
    }
  });
});
