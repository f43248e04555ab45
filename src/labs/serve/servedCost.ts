import { validateMeasured, type MeasuredModelCost } from '../../sim/serving/measured';
import type { ServeLabReport } from './run';

/** Bytes per cached key or value the serving path keeps (f32, as the paged decode-attention kernel reads them). */
const KV_BYTES_PER_VALUE = 4;

/**
 * The Serve lab's target as the serving simulator's cost model (src/sim/serving/measured.ts): its
 * measured prefill-per-token and decode-step times, its size, and where and when they were measured.
 * The shell keeps the latest one (LabModule.measuredModel) for the serving lab's "Use the model I served".
 */
export function servedCost(r: ServeLabReport, adapter: string): MeasuredModelCost | null {
  if (!r.stepCosts || !r.models) return null;
  const t = r.target;
  const onCpu = /CPU/.test(r.stepCosts.path);
  return validateMeasured({
    model: {
      name: `${t.layers}-layer × d ${t.dModel} GPT (${r.models.target.source}, step ${t.step})`,
      parameters: t.parameters,
      layers: t.layers,
      dModel: t.dModel,
      heads: t.heads,
      context: t.context,
      kvBytesPerToken: 2 * t.layers * t.dModel * KV_BYTES_PER_VALUE,
      weightBytes: 4 * t.parameters,
    },
    // The CPU path ran on the processor, not the adapter: say so rather than credit the GPU.
    adapter: onCpu ? 'this page’s CPU' : adapter,
    path: r.stepCosts.path,
    measuredAt: r.measuredAt,
    prefillSPerToken: r.stepCosts.prefillMsPerToken / 1000,
    decodeStepS: r.stepCosts.decodeStepMs.map((p) => ({ batch: p.batch, seconds: p.ms / 1000 })),
    contextTokens: r.stepCosts.contextTokens,
  });
}
