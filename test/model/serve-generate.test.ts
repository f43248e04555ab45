import { describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config';
import { gptForward } from '../../src/model/cpu/gpt';
import { initParams } from '../../src/model/init';
import { ArrayKv, cachedForward, ContextError, serveModel } from '../../src/model/serve/cachedForward';
import { AdmissionError, ServeEngine, type GenerationRequest } from '../../src/model/serve/engine';
import { GREEDY, type Sampling } from '../../src/model/serve/sampling';
import { KV_TOLERANCE } from '../../src/kernels/kvcache/reference';
import { checkLastDecodeOnGpu } from '../../src/model/serve/gpuAttention';
import { PAD } from '../../src/model/tokenizer';
import { testRuntime } from '../helpers/gpu';

// A tiny random GPT whose weights are scaled up so its next-token distributions are far from
// uniform (at GPT-2's init scale every logit is ≈ 0 and greedy text would be one repeated token).
const config: GptConfig = { layers: 2, dModel: 16, heads: 2, context: 24, vocab: 13, batch: 1 };
function model(seed: number, gain = 12) {
  const w = initParams(config, seed);
  for (let i = 0; i < w.length; i++) w[i] *= w[i] === 1 ? 1 : gain;
  return serveModel(config, w);
}
const m = model(3);

/** Full-sequence float64 forward (no cache) of one row: the logits at every position. */
function fullLogits(tokens: number[]): Float64Array {
  const inputs = new Int32Array(config.context).fill(PAD);
  inputs.set(tokens);
  return gptForward(config, m.params, inputs, new Int32Array(config.context).fill(-1)).logits;
}

function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

const prompts = [
  [1, 2, 10, 3, 4, 11],
  [9, 9, 10, 0, 1, 11],
  [5, 10, 5, 11],
  [7, 3, 10, 8, 8, 11],
  [0, 0, 0, 10, 1, 2, 3, 11],
  [4, 11],
];
// Different lengths, so requests finish at different steps and newcomers join a running batch.
const requests = (maxNew: number): GenerationRequest[] =>
  prompts.map((prompt, id) => ({ id, prompt, maxNew: maxNew - (id % 3) * 2 }));

describe('generation with a paged KV cache', () => {
  it("prefill + cached decode steps give the full forward's logits at every position", () => {
    const cache = new ArrayKv(config.layers, config.dModel, config.context);
    const tokens = [1, 2, 10, 3, 4, 11];
    const pre = cachedForward(m, cache, tokens);
    cache.append(pre, tokens.length);
    const full0 = fullLogits(tokens);
    expect(maxRelError(pre.logits, full0.subarray(0, tokens.length * 13))).toBeLessThan(1e-12);
    for (let i = 0; i < 8; i++) {
      const st = cachedForward(m, cache, [i % 13]);
      cache.append(st, 1);
      tokens.push(i % 13);
      const want = fullLogits(tokens).subarray((tokens.length - 1) * 13, tokens.length * 13);
      expect(maxRelError(st.logits, want)).toBeLessThan(1e-12);
    }
    expect(() => cachedForward(m, cache, new Array(11).fill(0))).toThrow(ContextError);
  });

  it('a batch under continuous batching, with preemption, writes what the full forward predicts, and frees every block', () => {
    // 6 requests of ≤ 8 + 10 − 1 = 17 tokens in blocks of 4 need up to 5 blocks each: a pool of 12
    // holds two or three at once, so requests wait, join mid-run and get preempted.
    const engine = new ServeEngine(m, { numBlocks: 12, blockSize: 4, maxBatch: 4, sampling: GREEDY });
    for (const r of requests(10)) engine.submit(r);
    const results = engine.runAll();
    expect(results.size).toBe(prompts.length);
    const preempted = engine.log.reduce((a, r) => a + r.preempted.length, 0);
    expect(preempted).toBeGreaterThan(0);
    // Continuous batching: some step both prefills a newcomer and decodes others.
    expect(engine.log.some((r) => r.prefilled.length > 0 && r.decoded.length > 0)).toBe(true);
    for (const [id, res] of results) {
      const seq = [...prompts[id], ...res.tokens];
      const full = fullLogits(seq.slice(0, -1));
      res.tokens.forEach((tok, i) => {
        const row = full.subarray((prompts[id].length - 1 + i) * 13, (prompts[id].length + i) * 13);
        expect(maxRelError(res.logits[i], row)).toBeLessThan(1e-12);
        // Greedy: each token is the argmax of its row.
        expect(tok).toBe(row.indexOf(Math.max(...row)));
      });
    }
    expect(engine.alloc.freeBlocks()).toBe(12);
    expect(engine.alloc.liveSlots()).toBe(0);
  });

  it('seeded sampling: a request writes the same tokens alone or batched with others, and the seed matters', () => {
    const sampling: Sampling = { temperature: 0.9, topK: 5, seed: 7 };
    const batched = new ServeEngine(m, { numBlocks: 12, blockSize: 4, maxBatch: 4, sampling });
    for (const r of requests(10)) batched.submit(r);
    const all = batched.runAll();
    for (const r of requests(10).slice(0, 3)) {
      const solo = new ServeEngine(m, { numBlocks: 8, blockSize: 4, maxBatch: 1, sampling });
      solo.submit(r);
      expect(solo.runAll().get(r.id)?.tokens).toEqual(all.get(r.id)?.tokens);
    }
    const other = new ServeEngine(m, { numBlocks: 40, blockSize: 4, maxBatch: 8, sampling: { ...sampling, seed: 8 } });
    for (const r of requests(10)) other.submit(r);
    const differs = [...other.runAll()].some(([id, res]) => res.tokens.join() !== all.get(id)?.tokens.join());
    expect(differs).toBe(true);
    // top-k 1 is greedy whatever the temperature.
    const k1 = new ServeEngine(m, {
      numBlocks: 40,
      blockSize: 4,
      maxBatch: 8,
      sampling: { temperature: 2, topK: 1, seed: 3 },
    });
    const greedy = new ServeEngine(m, { numBlocks: 40, blockSize: 4, maxBatch: 8, sampling: GREEDY });
    for (const r of requests(6)) {
      k1.submit(r);
      greedy.submit(r);
    }
    const a = k1.runAll();
    const b = greedy.runAll();
    for (const [id, res] of a) expect(res.tokens).toEqual(b.get(id)?.tokens);
  });

  it('refuses requests that cannot run, by name', () => {
    const engine = new ServeEngine(m, { numBlocks: 3, blockSize: 4, maxBatch: 2, sampling: GREEDY });
    expect(() => engine.submit({ id: 1, prompt: [], maxNew: 3 })).toThrow(AdmissionError);
    expect(() => engine.submit({ id: 2, prompt: [1, 2], maxNew: 40 })).toThrow(/context of 24/);
    expect(() => engine.submit({ id: 3, prompt: [1, 2, 3, 4, 5, 6, 7, 8, 9], maxNew: 8 })).toThrow(/needs 4 blocks/);
    expect(() => new ServeEngine(m, { numBlocks: 0, blockSize: 4, maxBatch: 1, sampling: GREEDY })).toThrow(
      /numBlocks/,
    );
    expect(
      () =>
        new ServeEngine(m, {
          numBlocks: 4,
          blockSize: 4,
          maxBatch: 1,
          sampling: { temperature: -1, topK: 0, seed: 1 },
        }),
    ).toThrow(/temperature/);
  });

  it("every decode step's attention, run by the paged decode kernel on Dawn over the model's own pool and block tables, matches the float64 forward", async () => {
    const rt = await testRuntime();
    const engine = new ServeEngine(m, { numBlocks: 12, blockSize: 4, maxBatch: 4, sampling: GREEDY });
    for (const r of requests(8)) engine.submit(r);
    let checked = 0;
    while (engine.busy) {
      engine.step();
      const { error, rows } = await checkLastDecodeOnGpu(rt, engine);
      expect(error).toBeLessThan(KV_TOLERANCE);
      checked += rows;
    }
    // Every generated token after the first is one decode row per layer.
    const decodeTokens = [...engine.results.values()].reduce((a, r) => a + r.tokens.length - 1, 0);
    expect(checked).toBe(decodeTokens * config.layers);
  });
});
