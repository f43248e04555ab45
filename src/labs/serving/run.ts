import { runSweep, qpsPoints, type SweepPoint } from '../../sim/serving/sweep';
import { unitWorkload } from '../../sim/serving/workload';
import type { LabRunContext } from '../../labkit/contract';
import { engineConfig, provenance, replicaOf, sloOf, workloadSpec, type ServingParams } from './params';
import { servingTrace } from './traceStore';

export interface ServingResult {
  points: SweepPoint[];
  knee: number;
  maxGoodQps: number;
  slo: { ttftS: number; tpotS: number };
  replica: { model: string; gpu: string; tp: number; numBlocks: number; kvGiB: number; profile: string };
  provenance: string;
  traceName: string | null;
  requests: number;
  /** Wall time of the sweep in this browser or process (the simulator's own speed, not the GPU's). */
  wallMs: number;
}

export const pause = () => new Promise<void>((r) => setTimeout(r, 0));

/** The load sweep: the same requests at each QPS on one replica, P50/P90/P99 and the SLO knee. */
export async function runServingLab(ctx: LabRunContext, p: ServingParams): Promise<ServingResult> {
  const r = replicaOf(p);
  const trace = p.arrivals === 'trace' ? servingTrace() : null;
  if (p.arrivals === 'trace' && !trace)
    throw new Error(
      'Arrivals are set to "Trace file" but no trace is loaded: drop a JSON or CSV trace in the trace box, or pick Poisson arrivals.',
    );
  const spec = workloadSpec(p, trace?.requests ?? null);
  const unit = unitWorkload(spec);
  const config = engineConfig(p, r);
  const slo = sloOf(p);
  const t0 = performance.now();
  const res = await runSweep(unit, qpsPoints(p.qpsMax, p.points), config, slo, {
    signal: ctx.signal,
    onProgress: (f, text) => ctx.progress(f, text),
    pause,
  });
  return {
    ...res,
    slo,
    replica: {
      model: r.model.name,
      gpu: r.gpu.name,
      tp: r.tp,
      numBlocks: config.numBlocks,
      kvGiB: (config.numBlocks * r.blockSize * r.profile.kvBytesPerToken) / 2 ** 30,
      profile: r.profile.name,
    },
    provenance: provenance(r),
    traceName: trace?.name ?? null,
    requests: unit.length,
    wallMs: performance.now() - t0,
  };
}
