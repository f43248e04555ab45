import { timeInRounds, type Contender } from '../../bench/rounds';
import type { BenchRow, BenchSuite } from '../../bench/types';
import { measureCeilings, QUICK_CEILINGS } from '../../kernels/ceilings/ceilings';
import type { GptConfig } from '../../model/config';
import { trainingFlopsPerToken } from '../../model/count';
import { initParams } from '../../model/init';
import { TrainSampler } from '../../model/task';
import { VOCAB } from '../../model/tokenizer';
import { GpuBackend } from '../../model/gpu/gpuBackend';
import { CpuBackend } from '../../model/train/cpuBackend';
import { defaultSpec } from '../../model/train/hyper';
import { createTfjsGpt } from '../../peers/tfjsGpt';

/**
 * One training step (forward, backward, Adam update) of the same GPT on the same batch: our GPU
 * step, tfjs-core autograd + tf.train.adam on its WebGPU backend, and (for scale) our float64 CPU
 * reference, interleaved in rounds. Every side is wall clock per whole step, the loss read back
 * (so each side's GPU work is included). MFU: achieved FLOP/s (training FLOPs per token × tokens/s) over this device's
 * measured FMA peak, for the implementation that runs on the GPU.
 */
export const suite: BenchSuite = {
  lab: 'train',
  title: 'Train: one training step, ours vs tfjs',
  async *run(ctx) {
    const model: GptConfig = {
      layers: 2,
      dModel: 32,
      heads: 1,
      context: 16,
      vocab: VOCAB,
      batch: ctx.software ? 8 : 32,
    };
    const spec = { ...defaultSpec(model, { digits: 2, splitSeed: 1 }, 1), weightDecay: 0, clip: 0 };
    const lr = 1e-3;
    const params = initParams(model, spec.seed);
    const cpu = new CpuBackend(spec, params);
    ctx.progress('compiling our training kernels');
    const ours = await GpuBackend.create(ctx.runtime, spec, params);
    ctx.progress('loading tfjs');
    const tfjs = await createTfjsGpt(model, params, { lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps });
    ctx.progress('measuring the FMA peak');
    const fma = (await measureCeilings(ctx.runtime, QUICK_CEILINGS)).fma.gflopPerS;
    try {
      const batch = TrainSampler.fresh(spec.task, 9).nextBatch(model.batch, model.context);
      let t = 0;
      const wall =
        (fn: () => Promise<unknown>): Contender['sample'] =>
        async () => {
          const t0 = performance.now();
          await fn();
          return { ms: performance.now() - t0, repeats: 1, timing: 'wallclock' };
        };
      const contenders: Contender[] = [
        { name: 'ours (GPU)', sample: wall(() => ours.step(batch, lr, ++t)) },
        { name: 'tfjs webgpu', sample: wall(() => tfjs.step(batch)) },
        { name: 'ours (CPU float64 reference)', sample: wall(() => cpu.step(batch, lr, t)) },
      ];
      // Warm-up: tfjs compiles its shaders on the first step.
      await tfjs.step(batch);
      await ours.step(batch, lr, ++t);
      const [a, b, r] = await timeInRounds(contenders, { rounds: ctx.software ? 5 : 9, calibrate: null }, ctx.progress);
      const tokens = model.batch * model.context;
      const flops = tokens * trainingFlopsPerToken(model).total;
      const params_ = {
        layers: model.layers,
        dModel: model.dModel,
        heads: model.heads,
        context: model.context,
        batch: model.batch,
      };
      const row = (impl: string, variant: string, r: typeof a, gpu: boolean): BenchRow => {
        const gflopPerS = flops / r.medianMs / 1e6;
        return {
          lab: 'train',
          kernel: 'training step',
          variant,
          impl,
          params: params_,
          medianMs: r.medianMs,
          spreadMs: r.spreadMs,
          gbPerS: NaN,
          gflopPerS,
          bytesMoved: 0,
          flops,
          timing: r.timing,
          adapter: ctx.adapter,
          tokensPerS: tokens / (r.medianMs / 1000),
          mfu: gpu && fma ? gflopPerS / fma : NaN,
        };
      };
      yield row('ours', 'gpu step', a, true);
      yield row('@tensorflow/tfjs-backend-webgpu', 'autograd + adam', b, true);
      yield row('ours', 'cpu-float64 reference', r, false);
    } finally {
      tfjs.dispose();
      ours.dispose();
    }
  },
  summarize(rows) {
    const [ours, tf] = rows;
    if (!ours || !tf) return [];
    return [
      `training step: ours ${(tf.medianMs / ours.medianMs).toFixed(2)}× tfjs's speed on this adapter (target ≥ 1.5× on a GPU)`,
      `ours ${Math.round(Number(ours.tokensPerS))} tokens/s, MFU ${(100 * Number(ours.mfu)).toFixed(2)} %; tfjs ${Math.round(Number(tf.tokensPerS))} tokens/s, MFU ${(100 * Number(tf.mfu)).toFixed(2)} % of the measured FMA peak`,
    ];
  },
};
