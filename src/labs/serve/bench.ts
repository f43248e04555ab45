import { cpuRow, type BenchContext, type BenchRow, type BenchSuite } from '../../bench/types';
import { runSteps, type DispatchStep } from '../../gpu/dispatch';
import { timeSteps } from '../../gpu/timing';
import {
  dequantize,
  gemvReference,
  prepareGemv,
  quantize,
  uploadWeights,
  type PreparedGemv,
  type QuantVariant,
  type WeightBuffers,
} from '../../kernels/quant';
import { initParams } from '../../model/init';
import { paramLayout, view } from '../../model/layout';
import { PRESETS } from '../../model/presets';
import { loadCheckpoint, splitHeldOut, type LoadedModel } from '../../model/serve/evaluate';
import { runOnGpu, speculativeOnGpu } from '../../model/serve/gpuSession';
import { INT4_GROUP, MODEL_VARIANTS, quantizeModel, VARIANT_NAMES } from '../../model/serve/quantized';
import { GREEDY } from '../../model/serve/sampling';
import { answerLength, exampleText } from '../../model/task';
import { encode } from '../../model/tokenizer';

/**
 * The served target's decode-step matmuls (every block's QKV, output, MLP up and down
 * projections: the shape of the shipped target, the tiny preset) through the decode lab's
 * quantized GEMV/GEMM kernels, per weight format, at batch 1 and 8: tokens/s of the linear layers
 * alone (attention, LayerNorms and the head are not in it). Times do not depend on the weights'
 * values, so seeded initial weights of that shape stand in for the checkpoint (the bench runs in
 * Node without the page's fetch); each kernel's output is checked against the float64 product
 * of its dequantized weights before anything is timed.
 */
const VARIANTS: QuantVariant[] = ['f32', 'f16', 'int8', 'int4-zp'];

/** The shipped checkpoints, read from public/ (the bench runs in Node from the repository root). */
async function shipped(name: 'target' | 'draft'): Promise<LoadedModel> {
  const { readFile } = await import('node:fs/promises');
  return loadCheckpoint(new Uint8Array(await readFile(`public/checkpoints/${name}.gptckpt`)));
}

/** Held-out sums as prompts (the lab's), and the answer length they generate. */
function prompts(m: LoadedModel, count: number): { prompts: number[][]; maxNew: number } {
  const task = m.task;
  const { evalPairs } = splitHeldOut(task, 32, count);
  return {
    prompts: evalPairs.map(([a, b]) => encode(exampleText(task, a, b).slice(0, 2 * task.digits + 2))),
    maxNew: answerLength(task),
  };
}

/**
 * Whole generation on the GPU path (src/model/serve/gpuForward.ts) with the shipped target: the
 * same 8 held-out prompts per weight format, at most 1 or 8 decoded together (continuous
 * batching), every logits row of a first run checked against the float64 forward, then timed
 * runs (wall clock: submissions and logits readback each step included).
 */
async function* generationRows(ctx: BenchContext): AsyncGenerator<BenchRow> {
  const target = await shipped('target');
  const { prompts: ps, maxNew } = prompts(target, 8);
  const { calib } = splitHeldOut(target.task, 32, 8);
  const calibSeqs = calib.map(([a, b]) => encode(exampleText(target.task, a, b)));
  const requests = ps.map((prompt, id) => ({ id, prompt, maxNew }));
  const runs = ctx.software ? 3 : 7;
  for (const variant of MODEL_VARIANTS) {
    const q = quantizeModel(target.model, variant, calibSeqs);
    for (const maxBatch of [1, 8]) {
      ctx.progress(`generation ${variant}, batch ${maxBatch}`);
      const opts = { numBlocks: 8 * 4, blockSize: 4, maxBatch, sampling: GREEDY };
      const g = await runOnGpu(ctx.runtime, q, opts, requests, () => {}, runs);
      if (g.error > 1e-4) throw new Error(`${variant}: GPU logits off by ${g.error} of float64; not timed.`);
      yield cpuRow(
        {
          lab: 'serve',
          kernel: 'generation (GPU path)',
          variant: VARIANT_NAMES[variant],
          params: { maxBatch, prompts: ps.length, newTokens: maxNew, model: 'shipped target' },
        },
        g.samplesMs,
        { tokensPerS: g.tokens / (g.ms / 1000), logitError: g.error },
        ctx.adapter,
      );
    }
  }
}

/**
 * Plain vs speculative decoding on the GPU path, shipped target and draft, greedy: the same
 * prompts in interleaved rounds (plain, then speculative, each round), per γ.
 */
async function* speculativeRows(ctx: BenchContext): AsyncGenerator<BenchRow> {
  const [target, draft] = await Promise.all([shipped('target'), shipped('draft')]);
  const { prompts: ps, maxNew } = prompts(target, 8);
  ctx.progress('plain vs speculative decoding');
  const r = await speculativeOnGpu(
    ctx.runtime,
    target.model,
    draft.model,
    ps,
    maxNew,
    [1, 2, 3],
    GREEDY,
    ctx.software ? 3 : 7,
  );
  const tokens = ps.length * maxNew;
  for (const row of r.rows) {
    if (!row.greedyIdentical)
      throw new Error(`γ = ${row.gamma}: speculative greedy differs from target greedy; not timed.`);
    const params = { gamma: row.gamma, prompts: ps.length, newTokens: maxNew, rounds: r.rounds };
    const base = { lab: 'serve', kernel: 'plain vs speculative decoding (GPU path)', params };
    yield cpuRow(
      { ...base, variant: 'plain (target only)' },
      row.plainSamples,
      { tokensPerS: tokens / (row.plainMs / 1000) },
      ctx.adapter,
    );
    yield cpuRow(
      { ...base, variant: `speculative γ=${row.gamma}` },
      row.specSamples,
      { tokensPerS: tokens / (row.specMs / 1000), speedup: row.speedup, c: r.c, v: row.v },
      ctx.adapter,
    );
  }
}

export const suite: BenchSuite = {
  lab: 'serve',
  title:
    'Serve: the target GPT’s decode-step matmuls per weight format, batch 1 and 8; whole generation per format on the GPU path; plain vs speculative decoding',
  async *run(ctx) {
    const rt = ctx.runtime;
    const c = PRESETS.tiny.model;
    const layout = paramLayout(c);
    const params = initParams(c, 1);
    const mats = layout.blocks
      .flatMap((b) => [b.wqkv, b.wo, b.wfc, b.wproj])
      .map((t) => {
        const [K, N] = t.shape;
        const src = view(params, t);
        const w = new Float32Array(N * K);
        for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) w[n * K + k] = src[k * N + n];
        return { w, N, K };
      });
    for (const variant of VARIANTS) {
      for (const M of [1, 8]) {
        ctx.progress(`${variant}, batch ${M}`);
        const owned: { wb: WeightBuffers; k: PreparedGemv }[] = [];
        try {
          let flops = 0;
          let bytes = 0;
          for (const { w, N, K } of mats) {
            const packed = quantize(variant, w, N, K, INT4_GROUP);
            const wb = await uploadWeights(rt, packed);
            const x = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.37));
            const k = await prepareGemv(rt, wb, M, { x });
            owned.push({ wb, k });
            await runSteps(rt.device, k.steps);
            const got = await k.read();
            const want = gemvReference(x, dequantize(packed), M, N, K);
            let err = 0;
            let scale = 0;
            for (let i = 0; i < want.length; i++) {
              err = Math.max(err, Math.abs(got[i] - want[i]));
              scale = Math.max(scale, Math.abs(want[i]));
            }
            if (err > 1e-4 * scale)
              throw new Error(`${variant} ${N}×${K} M=${M}: GEMV off by ${err / scale} of its reference; not timed.`);
            flops += k.cost.flops;
            bytes += k.cost.bytesRead + k.cost.bytesWritten;
          }
          const steps: DispatchStep[] = owned.flatMap((o) => o.k.steps);
          const t = await timeSteps(rt.device, steps, { samples: ctx.software ? 5 : 9 });
          const row: BenchRow = {
            lab: 'serve',
            kernel: 'decode-step matmuls',
            variant: `${variant}${variant === 'int4-zp' ? ` g${INT4_GROUP}` : ''}`,
            impl: 'ours',
            params: { batch: M, layers: c.layers, dModel: c.dModel, matrices: mats.length },
            medianMs: t.medianMs,
            spreadMs: t.spreadMs,
            gbPerS: bytes / t.medianMs / 1e6,
            gflopPerS: flops / t.medianMs / 1e6,
            bytesMoved: bytes,
            flops,
            timing: t.timing,
            adapter: ctx.adapter,
            tokensPerS: M / (t.medianMs / 1000),
          };
          yield row;
        } finally {
          for (const o of owned) {
            o.k.dispose();
            o.wb.dispose();
          }
        }
      }
    }
    yield* generationRows(ctx);
    yield* speculativeRows(ctx);
  },
  summarize(rows) {
    const tps = (r: BenchRow) => (typeof r.tokensPerS === 'number' ? r.tokensPerS : NaN);
    const out: string[] = [];
    const gen = rows.filter((r) => r.kernel === 'generation (GPU path)');
    if (gen.length)
      out.push(
        `generation tokens/s on the GPU path (${gen[0].adapter}, wall clock): ` +
          gen.map((r) => `${r.variant} batch ${r.params.maxBatch} ${tps(r).toFixed(1)}`).join(' · '),
      );
    const spec = rows.filter((r) => r.kernel === 'plain vs speculative decoding (GPU path)');
    for (const r of spec.filter((x) => x.variant.startsWith('speculative'))) {
      const plain = spec.find((x) => x.variant.startsWith('plain') && x.params.gamma === r.params.gamma);
      if (plain)
        out.push(
          `γ = ${r.params.gamma}: speculative ${tps(r).toFixed(1)} vs plain ${tps(plain).toFixed(1)} tokens/s (${(tps(r) / tps(plain)).toFixed(2)}×; c = ${Number(r.c).toFixed(2)}, v = ${Number(r.v).toFixed(2)} measured on this adapter)`,
        );
    }
    return out;
  },
};
