import type { GpuRuntime } from '../../gpu/runtime';
import { unpackCell } from '../../sim/kvcache/state';
import { expectedTokens, speedup } from '../../sim/speculative/model';
import { Rng } from '../rng';
import { answerLength, exampleText, readAnswer } from '../task';
import { decode, encode } from '../tokenizer';
import { ArrayKv, cachedForward, type ServeModel } from './cachedForward';
import { ServeEngine, type StepRecord } from './engine';
import { quantizationTable, splitHeldOut, type LoadedModel } from './evaluate';
import { LOGIT_TOLERANCE, runOnGpu, speculativeOnGpu, type GpuSpecReport } from './gpuSession';
import { quantizeModel } from './quantized';
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
  /** 'gpu': every forward through the playground's kernels (GpuForward); 'cpu': the float64 reference alone (no WebGPU). */
  path: 'gpu' | 'cpu';
  /** Why the GPU path did not run on a device that has WebGPU (a named limit or error), else null. */
  gpuRefusal: string | null;
  /** GPU path: worst |GPU − float64| / max |float64| over the logits rows checked (null on the CPU path), and the tolerance. */
  logitError: number | null;
  logitTolerance: number;
  checkedRows: number;
  totalRows: number;
  /** Tokens written per second of wall clock on this device (GPU path: a second run, after the kernels compiled). */
  tokensPerS: number;
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
  /** GPU path: the generation batch's tokens/s through this format's GEMV/GEMM kernels, and its worst logits error; null without WebGPU. */
  tokensPerS: number | null;
  logitError: number | null;
}

/** Speculative vs plain decoding timed on the GPU forward (null without WebGPU). */
export interface SpecGpu {
  speedup: number;
  /** The target's (γ+1)-token verification over one decode token, on the GPU. */
  v: number;
  /** Closed form at the measured α, the GPU's c and v. */
  closedSpeedup: number;
  greedyIdentical: boolean;
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
  gpu: SpecGpu | null;
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
  /** The GPU timing of speculative decoding: c, prompts and rounds (rows are in spec[].gpu); null without WebGPU. */
  specGpu: { c: number; targetTokenMs: number; prompts: number; rounds: number } | null;
}

/** Timed runs of the generation batch per weight format on the GPU path, after the checked one (the median is shown; one keeps software adapters quick). */
export const TIMED_RUNS = 1;

/** Prompts the GPU speculative timing runs per round (each is several submissions). */
export const GPU_SPEC_PROMPTS = 4;

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

/** A γ's GPU timing beside the closed form at the CPU-measured α and the GPU's c and v. */
function gpuRow(r: GpuSpecReport | null, gamma: number, alpha: number): SpecGpu | null {
  const row = r?.rows.find((x) => x.gamma === gamma);
  if (!r || !row) return null;
  return {
    speedup: row.speedup,
    v: row.v,
    closedSpeedup: speedup(alpha, gamma, r.c, row.v),
    greedyIdentical: row.greedyIdentical,
  };
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
  const frames: GenerationFrame[] = [];
  const frame = (eng: ServeEngine, rec: StepRecord) => {
    const owner: number[] = [];
    const fill: number[] = [];
    for (const code of eng.cells()) {
      const cell = unpackCell(code);
      owner.push(cell ? cell.owner : -1);
      fill.push(cell ? cell.fill : 0);
    }
    frames.push({ ...rec, owner, fill, texts: eng.texts().map(decode) });
  };
  const requests = prompts.map((prompt, id) => ({ id, prompt, maxNew: A }));
  const engineOpts = { numBlocks: o.numBlocks, blockSize: o.blockSize, maxBatch: o.maxBatch, sampling: o.sampling };
  let tokens: Map<number, number[]>;
  let gpuGen: Awaited<ReturnType<typeof runOnGpu>> | null = null;
  const t0 = performance.now();
  let gpu = rt;
  let gpuRefusal: string | null = null;
  if (gpu) {
    try {
      // Through the kernels at f32; the frames come from the checked run.
      gpuGen = await runOnGpu(gpu, quantizeModel(target.model, 'f32'), engineOpts, requests, frame, TIMED_RUNS);
    } catch (e) {
      // A device that cannot run the forward (a limit, a lost device) falls back to the reference, saying why.
      if (!(e instanceof Error) || e.name === 'AbortError') throw e;
      gpuRefusal = e.message;
      gpu = null;
      frames.length = 0;
    }
  }
  if (gpuGen) tokens = gpuGen.results;
  else {
    prompts.forEach((prompt, id) => engine.submit({ id, prompt, maxNew: A }));
    while (engine.busy) frame(engine, engine.step());
    tokens = new Map([...engine.results].map(([id, r]) => [id, r.tokens]));
  }
  const cpuMs = performance.now() - t0;
  const genTokens = [...tokens.values()].reduce((a, t) => a + t.length, 0);
  progress(0.3, 'generated');
  const outputs = prompts.map((_, id) => decode(tokens.get(id) ?? []));
  const correct = genPairs.map(([a, b], i) => readAnswer(outputs[i]) === a + b && outputs[i].length === A);
  // Quantization.
  const quant: QuantRow[] = [];
  for (const row of quantizationTable(target.model, task, 32, o.evalCount)) {
    const { variant, name, weightBytes, accuracy, perplexity, changed, awqAlpha } = row;
    // The same batch of requests through this format's kernels: tokens/s and its logits check.
    const g = gpu ? await runOnGpu(gpu, row.quantized, engineOpts, requests, () => {}, TIMED_RUNS) : null;
    quant.push({
      variant,
      name,
      weightBytes,
      accuracy,
      perplexity,
      changed,
      awqAlpha,
      tokensPerS: g ? g.tokensPerS : null,
      logitError: g ? g.error : null,
    });
  }
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
  const gpuSpec: GpuSpecReport | null = gpu
    ? await speculativeOnGpu(
        gpu,
        target.model,
        draft.model,
        specPrompts.slice(0, GPU_SPEC_PROMPTS),
        maxNew,
        o.gammas,
        sampling,
      )
    : null;
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
      gpu: gpuRow(gpuSpec, gamma, alpha),
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
      path: gpuGen ? 'gpu' : 'cpu',
      gpuRefusal,
      logitError: gpuGen ? gpuGen.error : null,
      logitTolerance: LOGIT_TOLERANCE,
      checkedRows: gpuGen ? gpuGen.checkedRows : 0,
      totalRows: gpuGen ? gpuGen.totalRows : 0,
      tokensPerS: gpuGen ? gpuGen.tokensPerS : genTokens / (cpuMs / 1000),
      cpuMs,
    },
    quant,
    evalCount: o.evalCount,
    spec,
    cMeasured,
    cParams,
    evalExamples: specPrompts.length,
    specGpu: gpuSpec
      ? { c: gpuSpec.c, targetTokenMs: gpuSpec.targetTokenMs, prompts: gpuSpec.prompts, rounds: gpuSpec.rounds }
      : null,
  };
}
