import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServeEngine } from '../../src/model/serve/engine';
import { loadCheckpoint, splitHeldOut } from '../../src/model/serve/evaluate';
import { GpuForward, GpuSequence } from '../../src/model/serve/gpuForward';
import { checkRows, LOGIT_TOLERANCE, runOnGpu, speculativeOnGpu } from '../../src/model/serve/gpuSession';
import { MODEL_VARIANTS, quantizeModel } from '../../src/model/serve/quantized';
import { GREEDY } from '../../src/model/serve/sampling';
import { exampleText, answerLength } from '../../src/model/task';
import { encode } from '../../src/model/tokenizer';
import { testRuntime } from '../helpers/gpu';

// The shipped checkpoints; a few held-out sums as prompts (kept tiny: each GPU step is a submission on SwiftShader).
const target = loadCheckpoint(readFileSync('public/checkpoints/target.gptckpt'));
const draft = loadCheckpoint(readFileSync('public/checkpoints/draft.gptckpt'));
const task = target.task;
const A = answerLength(task);
const { calib, evalPairs } = splitHeldOut(task, 8, 4);
const promptOf = ([a, b]: [number, number]) => encode(exampleText(task, a, b).slice(0, 2 * task.digits + 2));
const prompts = evalPairs.map(promptOf);
const calibSeqs = calib.map(([a, b]) => encode(exampleText(task, a, b)));
const requests = prompts.map((prompt, id) => ({ id, prompt, maxNew: A }));
// 4 requests, at most 3 at once, in a pool too small for all: continuous batching with M = 1…3 decode rows.
const opts = { numBlocks: 5, blockSize: 4, maxBatch: 3, sampling: GREEDY };

describe('generation through the GPU kernels (shipped target, Dawn)', () => {
  it('greedy GPU generation writes the CPU greedy tokens at f32, every logits row within tolerance of float64', async () => {
    const rt = await testRuntime();
    const q = quantizeModel(target.model, 'f32');
    const cpu = new ServeEngine(q.model, opts);
    for (const r of requests) cpu.submit(r);
    cpu.runAll();
    let steps = 0;
    let batched = false;
    const run = await runOnGpu(rt, q, opts, requests, (_, rec) => {
      steps++;
      batched ||= rec.decoded.length > 1;
    });
    expect(batched).toBe(true);
    expect(steps).toBe(cpu.log.length);
    for (const [id, r] of cpu.results) expect(run.results.get(id)).toEqual(r.tokens);
    // Every row was checked (≤ 4 per step here), and the worst is within tolerance.
    expect(run.checkedRows).toBe(run.totalRows);
    expect(run.totalRows).toBe(requests.length * A);
    expect(run.error).toBeLessThan(LOGIT_TOLERANCE);
    expect(run.tokens).toBe(requests.length * A);
  });

  it('every weight format: GPU logits (quantized GEMV kernels) within tolerance of the float64 forward of its dequantized weights', async () => {
    const rt = await testRuntime();
    for (const variant of MODEL_VARIANTS) {
      const q = quantizeModel(target.model, variant, calibSeqs);
      const fw = await GpuForward.create(rt, q, { blockSize: 4, numBlocks: 4 });
      try {
        const seq = new GpuSequence(fw);
        const p = prompts[0];
        const rows = [];
        const pre = await seq.run(p);
        const V = q.model.config.vocab;
        rows.push({ id: 0, prefix: p, logits: pre.slice((p.length - 1) * V) });
        // Three decode rows of one sequence in one batch (what a verification runs): the GEMM path.
        const more = await seq.run([3, 5, 7]);
        rows.push({ id: 0, prefix: [...p, 3], logits: more.slice(0, V) });
        rows.push({ id: 0, prefix: [...p, 3, 5], logits: more.slice(V, 2 * V) });
        rows.push({ id: 0, prefix: [...p, 3, 5, 7], logits: more.slice(2 * V) });
        const c = checkRows(q.model, rows, 4);
        expect(c.rows).toBe(4);
        expect(c.error, variant).toBeLessThan(LOGIT_TOLERANCE);
      } finally {
        await fw.dispose();
      }
    }
  });

  it('speculative decoding on the GPU path: greedy writes the target greedy tokens', async () => {
    const rt = await testRuntime();
    const r = await speculativeOnGpu(rt, target.model, draft.model, prompts.slice(0, 2), A, [3], GREEDY, 1);
    expect(r.rows.map((x) => x.gamma)).toEqual([3]);
    for (const row of r.rows) {
      expect(row.greedyIdentical).toBe(true);
      expect(row.stats.targetPasses).toBeGreaterThan(0);
    }
    expect(r.c).toBeGreaterThan(0);
  });

  it('refuses rows it cannot run, by name', async () => {
    const rt = await testRuntime();
    const fw = await GpuForward.create(rt, quantizeModel(target.model, 'f32'), { blockSize: 4, numBlocks: 2 });
    try {
      await expect(fw.decode([{ token: 99, pos: 0, table: [0] }])).rejects.toThrow(/token id 99/);
      await expect(fw.decode([{ token: 1, pos: 9, table: [0] }])).rejects.toThrow(/no block/);
      expect(() => new GpuSequence(fw)).toThrow(/needs 4 blocks/);
    } finally {
      await fw.dispose();
    }
  });
});
