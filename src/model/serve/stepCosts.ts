import type { ServeModel } from './cachedForward';
import { ServeEngine, type StepRecord } from './engine';
import { GREEDY } from './sampling';

/**
 * The model's step costs on the serving path, timed the way a serving simulator charges them: the
 * prefill of a batch of prompts per prompt token, and one decode step (every running sequence gets
 * one token) at several batch sizes. Timed through ServeEngine itself, so what is measured is what
 * the lab serves with; the fastest of a few rounds, so one garbage collection does not set a cost.
 * The serving lab turns these into its cost model (src/sim/serving/measured.ts).
 */
export interface StepCosts {
  prefillMsPerToken: number;
  decodeStepMs: { batch: number; ms: number }[];
  /** Tokens in context when the decode steps were timed (the last one's). */
  contextTokens: number;
  /** What ran. */
  path: string;
}

export const STEP_COST_BATCHES = [1, 2, 4, 8] as const;

/** Block size of the timing engines; the largest holds STEP_COST_BATCHES' last × ⌈context / 4⌉ blocks. */
export const STEP_COST_BLOCK = 4;

/**
 * How one scheduler step runs: the float64 CPU forward (engine.step) by default; a GPU forward
 * (the engine's batched path over the playground's kernels) passes its own step and name.
 */
export interface Stepper {
  step(engine: ServeEngine): StepRecord | Promise<StepRecord>;
  path: string;
}

export const CPU_STEPPER: Stepper = { step: (e) => e.step(), path: 'float64 CPU forward' };

export async function measureStepCosts(
  model: ServeModel,
  prompt: number[],
  batches: readonly number[] = STEP_COST_BATCHES,
  rounds = 3,
  stepper: Stepper = CPU_STEPPER,
  reps = 8,
): Promise<StepCosts> {
  const decodeSteps = Math.max(1, Math.min(4, model.config.context - prompt.length - 1));
  let prefillMsPerToken = Infinity;
  let contextTokens = 0;
  const decodeStepMs = batches.map((batch) => ({ batch, ms: Infinity }));
  // A browser's timer may be as coarse as 0.1 ms, about one tiny CPU decode step: each figure is
  // the mean over `reps` fresh engines' steps, and the least of `rounds` such means.
  for (let round = 0; round < rounds; round++) {
    for (const point of decodeStepMs) {
      const b = point.batch;
      const blockSize = STEP_COST_BLOCK;
      const perSeq = Math.ceil(model.config.context / blockSize);
      let prefillMs = 0;
      let prefillTokens = 0;
      let decodeMs = 0;
      let decodeCount = 0;
      for (let rep = 0; rep < reps; rep++) {
        const engine = new ServeEngine(model, { numBlocks: b * perSeq, blockSize, maxBatch: b, sampling: GREEDY });
        for (let id = 0; id < b; id++) engine.submit({ id, prompt, maxNew: decodeSteps + 1 });
        let t0 = performance.now();
        prefillTokens += (await stepper.step(engine)).prefillTokens;
        prefillMs += performance.now() - t0;
        t0 = performance.now();
        for (let s = 0; s < decodeSteps; s++)
          if ((await stepper.step(engine)).decoded.length !== b) throw new Error('a decode step lost a sequence');
        decodeMs += performance.now() - t0;
        decodeCount += decodeSteps;
      }
      prefillMsPerToken = Math.min(prefillMsPerToken, prefillMs / prefillTokens);
      point.ms = Math.min(point.ms, decodeMs / decodeCount);
      contextTokens = prompt.length + decodeSteps;
    }
  }
  // A timer coarser than a step (a browser's clamped performance.now) can read 0: keep the
  // costs positive with the timer's resolution as the floor, so the cost model stays usable.
  const floor = 0.005;
  return {
    prefillMsPerToken: Math.max(floor, prefillMsPerToken),
    decodeStepMs: decodeStepMs.map((p) => ({ batch: p.batch, ms: Math.max(floor, p.ms) })),
    contextTokens,
    path: stepper.path,
  };
}
