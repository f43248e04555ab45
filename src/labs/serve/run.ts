import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import { serveReport, type ServeReport } from '../../model/serve/session';
import { measureServeStepCosts } from '../../model/serve/gpuStepCosts';
import type { StepCosts } from '../../model/serve/stepCosts';
import { exampleText } from '../../model/task';
import { encode } from '../../model/tokenizer';
import { trainLabSlots } from '../../workers/savedModels';
import { fetchCheckpoint, SHIPPED } from './checkpoints';
import { choosePair } from './models';
import type { meta } from './meta';

export type ServeParams = ParamsOf<typeof meta.schema>;

/** The report, with which checkpoints served (and any fallback taken) and the target's step costs. */
export interface ServeLabReport extends ServeReport {
  models: { target: { name: string; source: string }; draft: { name: string; source: string } };
  notes: string[];
  /** The target's prefill and decode step times on this page, on the GPU path where it runs (what the serving lab can simulate with). */
  stepCosts: StepCosts;
  /** When this report was measured (ISO 8601). */
  measuredAt: string;
}

/** Loads both checkpoints and computes the whole report (generation, quantization, speculative sweep). */
export async function runServe(ctx: LabRunContext, p: ServeParams): Promise<ServeLabReport> {
  ctx.progress(0, 'loading checkpoints');
  const pair = await choosePair(
    { target: p.target, draft: p.draft },
    { slots: trainLabSlots, shipped: (role) => fetchCheckpoint(SHIPPED[role], ctx.signal) },
  );
  const report = await serveReport(
    pair.target.model,
    pair.draft.model,
    {
      prompts: p.prompts,
      maxBatch: p.maxBatch,
      numBlocks: p.numBlocks,
      blockSize: p.blockSize,
      sampling: { temperature: p.temperature, topK: p.topK, seed: p.seed },
      gammas: Array.from({ length: p.maxGamma }, (_, i) => i + 1),
      evalCount: p.evalCount,
    },
    ctx.runtime,
    (f, text) => ctx.progress(0.95 * f, text),
  );
  // The step costs come last (on the GPU path, seconds on a software adapter): the bar says so.
  ctx.progress(0.95, 'timing the target’s steps for the serving lab');
  const task = pair.target.model.task;
  const prompt = encode(exampleText(task, 0, 0).slice(0, 2 * task.digits + 2));
  return {
    ...report,
    models: {
      target: { name: pair.target.name, source: pair.target.source },
      draft: { name: pair.draft.name, source: pair.draft.source },
    },
    notes: pair.notes,
    stepCosts: await measureServeStepCosts(ctx.runtime, pair.target.model.model, prompt),
    measuredAt: new Date().toISOString(),
  };
}
