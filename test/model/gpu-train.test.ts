import { describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config';
import { initParams } from '../../src/model/init';
import { TrainSampler } from '../../src/model/task';
import { CpuBackend } from '../../src/model/train/cpuBackend';
import { GpuBackend } from '../../src/model/gpu/gpuBackend';
import { VOCAB } from '../../src/model/tokenizer';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/model/train/checkpoint';
import { defaultSpec } from '../../src/model/train/hyper';
import { Trainer, type BackendFactory } from '../../src/model/train/trainer';
import { testRuntime } from '../helpers/gpu';

const gpu: BackendFactory = async (spec, params) => GpuBackend.create(await testRuntime(), spec, params);

// SwiftShader runs this step at about 0.4 s for B·T = 64 tokens (its barrier-heavy workgroups are
// a CPU's), so the GPU tests stay tiny: the learning test runs on the CPU reference
// (learning.test.ts) and the first test here holds this step to that reference. One file, so the
// ~30 kernels compile once.
describe('training on the GPU step (Dawn on SwiftShader)', { timeout: 180_000 }, () => {
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
        // Step 1 is profiled (a timestamped pass per run of same-kind kernels): same numbers, plus the split.
        if (t === 1 && rt.device.features.has('timestamp-query')) {
          expect(b.timing?.source).toBe('timestamp');
          const parts = [
            b.timing!.matmul,
            b.timing!.attention,
            b.timing!.norms,
            b.timing!.elementwise,
            b.timing!.optimizer,
          ];
          for (const ms of parts) expect(ms).toBeGreaterThanOrEqual(0);
          expect(parts.reduce((x, y) => x + y)).toBeGreaterThan(0);
        } else expect(b.timing).toBeUndefined();
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

  it('learns: a short run on the GPU step lowers the loss and follows the float64 trajectory', async () => {
    // One layer, 4 rows of 16 tokens, a high peak rate and a 4-step warm-up: the loss leaves ln 13
    // for the answer format (digits, and a 0/1 carry) within two dozen steps, in ~10 s on SwiftShader.
    const spec = {
      ...defaultSpec(
        { layers: 1, dModel: 32, heads: 1, context: 16, vocab: VOCAB, batch: 4 },
        { digits: 2, splitSeed: 1 },
        6,
      ),
      steps: 24,
      warmup: 4,
      lr: 1e-2,
      evalExamples: 16,
    };
    const cpu = await Trainer.create(spec, async (s, p) => new CpuBackend(s, p));
    const onGpu = await Trainer.create(spec, gpu);
    try {
      const ref: number[] = [];
      const got: number[] = [];
      for (let i = 0; i < spec.steps; i++) {
        ref.push((await cpu.trainStep()).loss);
        got.push((await onGpu.trainStep()).loss);
        // float32 against float64: measured drift stays under 1e-4 relative over these steps.
        expect(Math.abs(got[i] - ref[i]) / ref[i], `step ${i + 1}`).toBeLessThan(2e-3);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const first = mean(got.slice(0, 4));
      const last = mean(got.slice(-4));
      expect(first).toBeGreaterThan(2.3);
      // Knowing only the format costs (2·ln 10 + ln 2)/3 = 1.77 nats; the run gets most of the way there.
      expect(last).toBeLessThan(first - 0.3);
    } finally {
      cpu.dispose();
      onGpu.dispose();
    }
  });

  it('kill and resume: the resumed run’s losses equal the uninterrupted run’s, bit for bit', async () => {
    const spec = {
      ...defaultSpec(
        { layers: 2, dModel: 32, heads: 1, context: 16, vocab: VOCAB, batch: 2 },
        { digits: 2, splitSeed: 1 },
        3,
      ),
      steps: 40,
      warmup: 4,
      evalExamples: 4,
    };
    const whole = await Trainer.create(spec, gpu);
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) losses.push((await whole.trainStep()).loss);
    const evalWhole = await whole.evaluate();
    whole.dispose();

    const first = await Trainer.create(spec, gpu);
    for (let i = 0; i < 3; i++) await first.trainStep();
    const file = encodeCheckpoint(await first.checkpoint());
    first.dispose();
    const resumed = await Trainer.resume(decodeCheckpoint(file), gpu);
    try {
      for (let i = 0; i < 3; i++) await resumed.trainStep();
      expect(resumed.train.map((p) => p.loss)).toEqual(losses);
      expect(await resumed.evaluate()).toEqual(evalWhole);
    } finally {
      resumed.dispose();
    }
  });
});
