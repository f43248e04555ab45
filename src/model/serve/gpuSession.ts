import type { GpuRuntime } from '../../gpu/runtime';
import { Rng } from '../rng';
import { ArrayKv, cachedForward, type ServeModel } from './cachedForward';
import { ServeEngine, type EmittedRow, type EngineOptions, type StepRecord } from './engine';
import { GpuForward, GpuSequence } from './gpuForward';
import { quantizeModel, type QuantizedModel } from './quantized';
import { GREEDY, type Sampling } from './sampling';
import { emptyStats, plainGenerateOn, speculativeGenerateOn, type SpeculativeStats } from './speculative';

/**
 * The Serve lab's measurements on the GPU path: generation through GpuForward with every step's
 * logits held to the float64 CPU forward of the same (dequantized) weights, tokens/s per weight
 * format, and speculative decoding timed against plain decoding on the same kernels.
 */

/**
 * Worst |GPU − CPU| / max |CPU| a logits row may show: the GPU computes in float32 (weights of
 * every format are exact in float32 once dequantized), and over these models' few hundred
 * multiply-adds per logit the observed error is ~1e-6.
 */
export const LOGIT_TOLERANCE = 1e-4;

/** Rows checked per step at most (evenly spread over the step's rows). */
export const CHECK_ROWS_PER_STEP = 4;

/** The float64 forward of a row's whole prefix from scratch (no cache): its last logits row. */
function referenceRow(m: ServeModel, prefix: number[]): Float64Array {
  const c = m.config;
  const logits = cachedForward(m, new ArrayKv(c.layers, c.dModel, c.context), prefix).logits;
  return logits.subarray(logits.length - c.vocab);
}

export function rowError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale ? err / scale : err;
}

/** Checks up to `limit` of a step's rows (evenly spread) against the float64 forward; worst error and rows checked. */
export function checkRows(
  m: ServeModel,
  rows: EmittedRow[],
  limit = CHECK_ROWS_PER_STEP,
): { error: number; rows: number } {
  const pick =
    rows.length <= limit ? rows : Array.from({ length: limit }, (_, i) => rows[Math.floor((i * rows.length) / limit)]);
  let error = 0;
  for (const r of pick) error = Math.max(error, rowError(r.logits, referenceRow(m, r.prefix)));
  return { error, rows: pick.length };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export interface GpuRun {
  /** Worst relative logits error over the rows checked, and how many were checked of all produced. */
  error: number;
  checkedRows: number;
  totalRows: number;
  /** Wall clock of the unchecked runs of the same requests after the checked one (kernels compiled by then): each, and the median. */
  samplesMs: number[];
  ms: number;
  tokens: number;
  tokensPerS: number;
  results: Map<number, number[]>;
}

/**
 * Runs the requests through the engine on the GPU twice: once with every step's rows checked
 * (and `onStep` told of each step, for the lab's frames), then again, unchecked, for the time.
 */
export async function runOnGpu(
  rt: GpuRuntime,
  q: QuantizedModel,
  opts: EngineOptions,
  requests: { id: number; prompt: number[]; maxNew: number }[],
  onStep: (engine: ServeEngine, rec: StepRecord) => void = () => {},
  timedRuns = 1,
): Promise<GpuRun> {
  const fw = await GpuForward.create(rt, q, { blockSize: opts.blockSize, numBlocks: opts.numBlocks });
  try {
    const checked = new ServeEngine(q.model, opts);
    for (const r of requests) checked.submit(r);
    let error = 0;
    let checkedRows = 0;
    let totalRows = 0;
    while (checked.busy) {
      const rec = await checked.stepOn(fw);
      const c = checkRows(q.model, checked.lastRows);
      error = Math.max(error, c.error);
      checkedRows += c.rows;
      totalRows += checked.lastRows.length;
      onStep(checked, rec);
    }
    const samplesMs: number[] = [];
    let tokens = 0;
    for (let run = 0; run < timedRuns; run++) {
      const timed = new ServeEngine(q.model, opts);
      for (const r of requests) timed.submit(r);
      const t0 = performance.now();
      while (timed.busy) await timed.stepOn(fw);
      samplesMs.push(performance.now() - t0);
      tokens = [...timed.results.values()].reduce((a, r) => a + r.tokens.length, 0);
    }
    const ms = median(samplesMs);
    const results = new Map([...checked.results].map(([id, r]) => [id, r.tokens]));
    return { error, checkedRows, totalRows, samplesMs, ms, tokens, tokensPerS: tokens / (ms / 1000), results };
  } finally {
    await fw.dispose();
  }
}

export interface GpuSpecRow {
  gamma: number;
  /** Every round's wall clock for all prompts, plain and speculative. */
  plainSamples: number[];
  specSamples: number[];
  plainMs: number;
  specMs: number;
  /** Plain time over speculative time: medians of interleaved rounds. */
  speedup: number;
  /** Verification of γ+1 tokens over one target decode token, on the GPU. */
  v: number;
  greedyIdentical: boolean;
  stats: SpeculativeStats;
}

export interface GpuSpecReport {
  /** Draft decode token over target decode token on the GPU (fastest of interleaved rounds). */
  c: number;
  targetTokenMs: number;
  prompts: number;
  rounds: number;
  rows: GpuSpecRow[];
}

/**
 * Speculative vs plain decoding on the GPU forward (f32 weights): the same prompts in
 * interleaved rounds (plain, then speculative, per round), medians; c and v timed as single
 * forwards. Greedy speculative must write the plain greedy tokens (checked on every prompt).
 */
export async function speculativeOnGpu(
  rt: GpuRuntime,
  target: ServeModel,
  draft: ServeModel,
  prompts: number[][],
  maxNew: number,
  gammas: number[],
  sampling: Sampling,
  rounds = 2,
): Promise<GpuSpecReport> {
  const pool = (m: ServeModel) => ({ blockSize: 4, numBlocks: Math.ceil(m.config.context / 4) });
  const tf = await GpuForward.create(rt, quantizeModel(target, 'f32'), pool(target));
  const df = await GpuForward.create(rt, quantizeModel(draft, 'f32'), pool(draft));
  try {
    const tSeq = new GpuSequence(tf);
    const dSeq = new GpuSequence(df);
    const V = target.config.vocab;
    const fresh = (s: GpuSequence) => {
      s.truncate(0);
      return s;
    };
    // One decode token and a (γ+1)-token verification, timed after a prefill of the first prompt.
    const tokenMs = async (s: GpuSequence, n: number) => {
      fresh(s);
      await s.run(prompts[0]);
      const t0 = performance.now();
      await s.run(Array.from({ length: n }, (_, i) => prompts[0][i % prompts[0].length]));
      return performance.now() - t0;
    };
    let bestT = Infinity;
    let bestD = Infinity;
    for (let r = 0; r < 3; r++) {
      bestT = Math.min(bestT, await tokenMs(tSeq, 1));
      bestD = Math.min(bestD, await tokenMs(dSeq, 1));
    }
    const greedy = sampling.temperature === 0 || sampling.topK === 1;
    const plainGreedy: string[] = [];
    for (const p of prompts)
      plainGreedy.push((await plainGenerateOn(V, fresh(tSeq), p, maxNew, GREEDY, new Rng(1))).join());
    const spec = (p: number[], gamma: number, s: Sampling, rng: Rng, stats: SpeculativeStats) =>
      speculativeGenerateOn(
        { config: target.config, cache: fresh(tSeq) },
        { config: draft.config, cache: fresh(dSeq) },
        p,
        maxNew,
        gamma,
        s,
        rng,
        stats,
      );
    const rows: GpuSpecRow[] = [];
    for (const gamma of gammas) {
      if (prompts[0].length + maxNew + gamma > Math.min(target.config.context, draft.config.context)) continue;
      let greedyIdentical = true;
      // Sampled runs cannot be compared token for token: check greedy separately (greedy runs are checked as timed).
      if (!greedy)
        for (const [i, p] of prompts.entries())
          if ((await spec(p, gamma, GREEDY, new Rng(1), emptyStats(gamma))).tokens.join() !== plainGreedy[i])
            greedyIdentical = false;
      const plainT: number[] = [];
      const specT: number[] = [];
      const stats = emptyStats(gamma);
      for (let round = 0; round < rounds; round++) {
        const rngP = new Rng(sampling.seed + round);
        let t0 = performance.now();
        for (const p of prompts) await plainGenerateOn(V, fresh(tSeq), p, maxNew, sampling, rngP);
        plainT.push(performance.now() - t0);
        const rngS = new Rng(sampling.seed + round);
        const written: string[] = [];
        t0 = performance.now();
        for (const p of prompts)
          written.push((await spec(p, gamma, sampling, rngS, round === 0 ? stats : emptyStats(gamma))).tokens.join());
        specT.push(performance.now() - t0);
        if (greedy && written.some((w, i) => w !== plainGreedy[i])) greedyIdentical = false;
      }
      let bestV = Infinity;
      for (let r = 0; r < 2; r++) bestV = Math.min(bestV, await tokenMs(tSeq, gamma + 1));
      rows.push({
        gamma,
        plainSamples: plainT,
        specSamples: specT,
        plainMs: median(plainT),
        specMs: median(specT),
        speedup: median(plainT) / median(specT),
        v: bestV / bestT,
        greedyIdentical,
        stats,
      });
    }
    return { c: bestD / bestT, targetTokenMs: bestT, prompts: prompts.length, rounds, rows };
  } finally {
    await tf.dispose();
    await df.dispose();
  }
}
