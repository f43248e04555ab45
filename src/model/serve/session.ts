import type { GpuRuntime } from '../../gpu/runtime';
import { unpackCell } from '../../sim/kvcache/state';
import { expectedTokens, speedup } from '../../sim/speculative/model';
import { Rng } from '../rng';
import { answerLength, exampleText, readAnswer } from '../task';
import { decode, encode } from '../tokenizer';
import { ArrayKv, cachedForward, type ServeModel } from './cachedForward';
import { ServeEngine, type StepRecord } from './engine';
import { quantizationTable, splitHeldOut, type LoadedModel } from './evaluate';
import { checkLastDecodeOnGpu } from './gpuAttention';
import { GREEDY, type Sampling } from './sampling';
import { acceptanceRate, emptyStats, meanBeta, plainGenerate, speculativeGenerate, tokensPerPass } from './speculative';

/**
 * Everything the Serve lab shows, computed from a target and a draft checkpoint: a batch of
 * held-out prompts generated with continuous batching over the paged KV cache (a frame of the
 * block map per step), the quantization table, and speculative decoding swept over γ beside the
 * closed form at the measured α and c. Plain JSON, so scenarios can record it.
 */
export interface ServeOptions {
  prompts: number;
  maxBatch: number;
  numBlocks: number;
  blockSize: number;
  sampling: Sampling;
  gammas: number[];
  /** Held-out examples for the quantization table and the speculative sweep. */
  evalCount: number;
}

export interface ModelInfo {
  parameters: number;
  layers: number;
  dModel: number;
  heads: number;
  context: number;
  step: number;
  trainedAccuracy: number | null;
}

export interface GenerationFrame extends Omit<StepRecord, 'step'> {
  step: number;
  /** Per block: request id owning it, or −1 when free. */
  owner: number[];
  /** Per block: slots filled. */
  fill: number[];
  /** Text of every request so far (prompt + generated). */
  texts: string[];
}

export interface GenerationReport {
  prompts: string[];
  outputs: string[];
  correct: boolean[];
  frames: GenerationFrame[];
  numBlocks: number;
  blockSize: number;
  /** Worst GPU-vs-float64 error of the paged decode-attention kernel over every decode row, or null without a GPU. */
  gpuError: number | null;
  gpuRows: number;
  cpuMs: number;
}

export interface QuantRow {
  variant: string;
  name: string;
  weightBytes: number;
  accuracy: number;
  perplexity: number;
  changed: number;
  awqAlpha: Record<string, number>;
}

export interface SpecRow {
  gamma: number;
  alpha: number;
  beta: number;
  perPosition: number[];
  tokensPerPass: number;
  stdError: number;
  /** Leviathan et al.'s E[tokens] at the measured α. */
  closedTokens: number;
  /** Speedup closed form at the measured α and c (v = 1), and the measured one (plain time / speculative time on this page). */
  closedSpeedup: number;
  /** The target's forward of γ+1 tokens over its forward of one, measured here (the paper takes v = 1), and the closed form with it. */
  vMeasured: number;
  closedSpeedupV: number;
  measuredSpeedup: number;
  targetPasses: number;
  draftPasses: number;
  /** Greedy speculative text equals the target's greedy text on every prompt. */
  greedyIdentical: boolean;
}

export interface ServeReport {
  target: ModelInfo;
  draft: ModelInfo;
  generation: GenerationReport;
  quant: QuantRow[];
  evalCount: number;
  spec: SpecRow[];
  /** Draft forward time over target forward time for one decode token on this page's CPU path, and the parameter ratio. */
  cMeasured: number;
  cParams: number;
  evalExamples: number;
}

function info(m: LoadedModel): ModelInfo {
  const c = m.model.config;
  return {
    parameters: m.model.layout.total,
    layers: c.layers,
    dModel: c.dModel,
    heads: c.heads,
    context: c.context,
    step: m.step,
    trainedAccuracy: m.trainedAccuracy,
  };
}

function promptOf(task: LoadedModel['task'], a: number, b: number): number[] {
  const text = exampleText(task, a, b);
  return encode(text.slice(0, 2 * task.digits + 2));
}

/**
 * ms of one decode-token forward at the prompt's length: the fastest of a few interleaved rounds
 * for each model, so JIT warm-up and a garbage collection in one round do not skew the ratio.
 */
function decodeMs(models: ServeModel[], prompt: number[], feed = 1): number[] {
  const caches = models.map((m) => {
    const cache = new ArrayKv(m.config.layers, m.config.dModel, m.config.context);
    cache.append(cachedForward(m, cache, prompt), prompt.length);
    return cache;
  });
  const best = models.map(() => Infinity);
  const reps = 20;
  for (let round = 0; round < 5; round++)
    models.forEach((m, i) => {
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) cachedForward(m, caches[i], prompt.slice(0, feed));
      best[i] = Math.min(best[i], (performance.now() - t0) / reps);
    });
  return best;
}

export async function serveReport(
  target: LoadedModel,
  draft: LoadedModel,
  o: ServeOptions,
  rt: GpuRuntime | null,
  progress: (f: number, text: string) => void = () => {},
): Promise<ServeReport> {
  const task = target.task;
  if (draft.task.digits !== task.digits)
    throw new RangeError(
      `the draft was trained on ${draft.task.digits}-digit sums, the target on ${task.digits}-digit ones.`,
    );
  const A = answerLength(task);
  const { evalPairs } = splitHeldOut(task, 32, Math.max(o.evalCount, o.prompts));
  // Generation: a batch of held-out prompts through the engine, a frame of the map per step.
  const engine = new ServeEngine(target.model, {
    numBlocks: o.numBlocks,
    blockSize: o.blockSize,
    maxBatch: o.maxBatch,
    sampling: o.sampling,
  });
  const genPairs = evalPairs.slice(0, o.prompts);
  const prompts = genPairs.map(([a, b]) => promptOf(task, a, b));
  prompts.forEach((prompt, id) => engine.submit({ id, prompt, maxNew: A }));
  const frames: GenerationFrame[] = [];
  let gpuError: number | null = rt ? 0 : null;
  let gpuRows = 0;
  const t0 = performance.now();
  while (engine.busy) {
    const rec = engine.step();
    if (rt) {
      const g = await checkLastDecodeOnGpu(rt, engine);
      gpuError = Math.max(gpuError ?? 0, g.error);
      gpuRows += g.rows;
    }
    const owner: number[] = [];
    const fill: number[] = [];
    for (const code of engine.cells()) {
      const cell = unpackCell(code);
      owner.push(cell ? cell.owner : -1);
      fill.push(cell ? cell.fill : 0);
    }
    frames.push({ ...rec, owner, fill, texts: engine.texts().map(decode) });
  }
  const cpuMs = performance.now() - t0;
  progress(0.3, 'generated');
  const outputs = prompts.map((_, id) => decode(engine.results.get(id)?.tokens ?? []));
  const correct = genPairs.map(([a, b], i) => readAnswer(outputs[i]) === a + b && outputs[i].length === A);
  // Quantization.
  const quant = quantizationTable(target.model, task, 32, o.evalCount).map(
    ({ variant, name, weightBytes, accuracy, perplexity, changed, awqAlpha }) => ({
      variant,
      name,
      weightBytes,
      accuracy,
      perplexity,
      changed,
      awqAlpha,
    }),
  );
  progress(0.6, 'quantized');
  // Speculative decoding, γ swept, on the same held-out prompts.
  const specPrompts = evalPairs.slice(0, Math.min(64, evalPairs.length)).map(([a, b]) => promptOf(task, a, b));
  const [draftMs, targetMs] = decodeMs([draft.model, target.model], specPrompts[0]);
  const cMeasured = draftMs / targetMs;
  const cParams = draft.model.layout.total / target.model.layout.total;
  const maxNew = A;
  const sampling = o.sampling;
  const tPlain0 = performance.now();
  const plainRng = new Rng(sampling.seed);
  for (const p of specPrompts) plainGenerate(target.model, p, maxNew, sampling, plainRng);
  const plainMs = performance.now() - tPlain0;
  const spec: SpecRow[] = [];
  for (const gamma of o.gammas) {
    const fits =
      specPrompts[0].length + maxNew + gamma <= Math.min(target.model.config.context, draft.model.config.context);
    if (!fits) continue;
    const stats = emptyStats(gamma);
    const rng = new Rng(sampling.seed + gamma);
    const t1 = performance.now();
    for (const p of specPrompts) speculativeGenerate(target.model, draft.model, p, maxNew, gamma, sampling, rng, stats);
    const specMs = performance.now() - t1;
    let greedyIdentical = true;
    for (const p of specPrompts.slice(0, 16)) {
      const a = plainGenerate(target.model, p, maxNew, GREEDY, new Rng(1));
      const b = speculativeGenerate(target.model, draft.model, p, maxNew, gamma, GREEDY, new Rng(1)).tokens;
      if (a.join() !== b.join()) greedyIdentical = false;
    }
    const alpha = acceptanceRate(stats);
    const [verifyMs] = decodeMs([target.model], specPrompts[0], gamma + 1);
    const vMeasured = verifyMs / targetMs;
    const tpp = tokensPerPass(stats);
    spec.push({
      gamma,
      alpha,
      beta: meanBeta(stats),
      perPosition: stats.accepted.map((a, i) => (stats.proposed[i] ? a / stats.proposed[i] : 0)),
      tokensPerPass: tpp.mean,
      stdError: tpp.stdError,
      closedTokens: expectedTokens(alpha, gamma),
      closedSpeedup: speedup(alpha, gamma, cMeasured),
      vMeasured,
      closedSpeedupV: speedup(alpha, gamma, cMeasured, vMeasured),
      measuredSpeedup: plainMs / specMs,
      targetPasses: stats.targetPasses,
      draftPasses: stats.draftPasses,
      greedyIdentical,
    });
  }
  progress(1, 'done');
  return {
    target: info(target),
    draft: info(draft),
    generation: {
      prompts: prompts.map(decode),
      outputs,
      correct,
      frames,
      numBlocks: o.numBlocks,
      blockSize: o.blockSize,
      gpuError,
      gpuRows,
      cpuMs,
    },
    quant,
    evalCount: o.evalCount,
    spec,
    cMeasured,
    cParams,
    evalExamples: specPrompts.length,
  };
}
