import { describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config';
import { trainingFlopsPerToken } from '../../src/model/count';
import { initParams } from '../../src/model/init';
import { paramLayout } from '../../src/model/layout';
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
      // The roofline's FLOPs: the matmul kernels' cost models sum to 6 FLOPs per matmul weight per
      // token (the count in the lab's table) plus the bias gradients' R·N adds.
      const cost = gpu.stepCost();
      const R = model.batch * model.context;
      const D = model.dModel;
      const biasAdds = model.layers * R * (3 * D + D + 4 * D + D);
      expect(cost.matmul.flops).toBe(trainingFlopsPerToken(model).dense * R + biasAdds);
      expect(cost.attention.flops).toBeGreaterThan(0);
      expect(cost.optimizer.bytesRead).toBeGreaterThan(4 * paramLayout(model).total);
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
    // One layer, 4 rows of 16 tokens, a high peak rate and a 3-step warm-up: the loss leaves ln 13
    // for the answer format (digits, and a 0/1 carry) within a dozen steps (float64: first four
    // steps 2.41 nats on average, last four 1.96), a few seconds on SwiftShader.
    const spec = {
      ...defaultSpec(
        { layers: 1, dModel: 32, heads: 1, context: 16, vocab: VOCAB, batch: 4 },
        { digits: 2, splitSeed: 1 },
        6,
      ),
      steps: 12,
      warmup: 3,
      lr: 2e-2,
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
        // float32 against float64, compounding over the steps: held to 5e-3 relative.
        expect(Math.abs(got[i] - ref[i]) / ref[i], `step ${i + 1}`).toBeLessThan(5e-3);
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

  it('mixed precision: fp16 gradients lose small values without a loss scale; with one the step matches float32; an overflow is skipped', async () => {
    const rt = await testRuntime();
    const model: GptConfig = { layers: 1, dModel: 32, heads: 1, context: 16, vocab: VOCAB, batch: 4 };
    const base = defaultSpec(model, { digits: 2, splitSeed: 1 }, 5);
    const params = initParams(model, base.seed);
    const batch = TrainSampler.fresh(base.task, 11).nextBatch(model.batch, model.context);
    const make = (mixed?: { initScale: number; growthInterval: number }) =>
      GpuBackend.create(rt, { ...base, mixed }, params);
    const backends = [
      await make(),
      await make({ initScale: 1, growthInterval: 0 }),
      await make({ initScale: 2 ** 16, growthInterval: 2 }),
      await make({ initScale: 2 ** 32, growthInterval: 2 }),
    ];
    const [f32, plain, scaled, over] = backends;
    try {
      const lr = 1e-3;
      const r = [];
      for (const b of backends) r.push(await b.step(batch, lr, 1));
      const w = await Promise.all(backends.map(async (b) => (await b.readState()).params));
      const maxDiff = (a: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - w[0][i])), 0);
      // The forward pass is float32 in every case: the same loss.
      for (const x of r) expect(x.loss).toBe(r[0].loss);
      expect(r[0].mixed).toBeUndefined();
      // Without a scale, fp16 flushes the gradients under 2^−25 to zero (measured: ~1 % of them);
      // at S = 2^16 only those under 2^−41 do, whose float32 update is lr·g/(|g| + ε) ≈ 0 anyway.
      expect(r[1].mixed!.underflow).toBeGreaterThan(r[2].mixed!.underflow);
      expect(r[1].mixed!.nonzero).toBe(r[2].mixed!.nonzero);
      // With the scale, the step's weights match float32's within 1 % of the learning rate (fp16's
      // 11-bit significand moves Adam's first update lr·g/|g| by far less); without, the lost
      // gradients' weights miss their update.
      expect(maxDiff(w[2])).toBeLessThan(0.01 * lr);
      expect(maxDiff(w[1])).toBeGreaterThan(maxDiff(w[2]));
      // S = 2^32 overflows fp16: the step is skipped (weights unchanged) and the scale halves.
      expect(r[3].mixed).toMatchObject({ skipped: true, scale: 2 ** 32 });
      expect(w[3]).toEqual(params);
      expect(over.scaler).toEqual({ scale: 2 ** 31, clean: 0 });
      // Two clean steps at S = 2^16: the scale doubles (growth interval 2).
      expect(r[2].mixed!.skipped).toBe(false);
      await scaled.step(batch, lr, 2);
      expect(scaled.scaler).toEqual({ scale: 2 ** 17, clean: 0 });
      expect(plain.scaler).toEqual({ scale: 1, clean: 0 });
    } finally {
      for (const b of backends) b.dispose();
    }
    void f32;
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
