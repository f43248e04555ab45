import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import { serveReport, type ServeReport } from '../../model/serve/session';
import { fetchCheckpoint, SHIPPED } from './checkpoints';
import type { meta } from './meta';

export type ServeParams = ParamsOf<typeof meta.schema>;

/** Loads both checkpoints and computes the whole report (generation, quantization, speculative sweep). */
export async function runServe(ctx: LabRunContext, p: ServeParams): Promise<ServeReport> {
  ctx.progress(0, 'loading checkpoints');
  const [target, draft] = await Promise.all([
    fetchCheckpoint(SHIPPED.target, ctx.signal),
    fetchCheckpoint(SHIPPED.draft, ctx.signal),
  ]);
  return serveReport(
    target,
    draft,
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
    (f, text) => ctx.progress(f, text),
  );
}
