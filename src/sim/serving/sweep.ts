import { Engine, type EngineConfig } from './engine';
import { summarize, type RunSummary, type Slo } from './metrics';
import { atRate, type ServeRequest } from './workload';

export interface SweepPoint extends RunSummary {
  qps: number;
}

export interface SweepResult {
  points: SweepPoint[];
  /** Index of the first point whose P99 TTFT or P99 TPOT breaks the SLO (or that rejects), or -1. */
  knee: number;
  /** Highest QPS that met the SLO, interpolated between the last good and the first bad point on P99 TTFT/TPOT. */
  maxGoodQps: number;
}

/** How far over the SLO a point is: max of P99/SLO ratios; above 1 means broken. */
function sloRatio(p: RunSummary, slo: Slo): number {
  return Math.max(p.ttft.p99 / slo.ttftS, p.tpot.p99 / slo.tpotS, p.rejected > 0 ? 2 : 0);
}

export function findKnee(points: readonly SweepPoint[], slo: Slo): { knee: number; maxGoodQps: number } {
  // A point breaks the SLO when a P99 is over its bound or requests were rejected (RunSummary.sloMet).
  const knee = points.findIndex((p) => !p.sloMet);
  if (knee < 0) return { knee, maxGoodQps: points.length ? points[points.length - 1].qps : 0 };
  if (knee === 0) return { knee, maxGoodQps: 0 };
  const a = points[knee - 1];
  const b = points[knee];
  const ra = sloRatio(a, slo);
  const rb = sloRatio(b, slo);
  const f = rb > ra ? Math.min(1, Math.max(0, (1 - ra) / (rb - ra))) : 0;
  return { knee, maxGoodQps: a.qps + f * (b.qps - a.qps) };
}

/** Evenly spaced QPS points from max/n to max. */
export function qpsPoints(maxQps: number, n: number): number[] {
  if (!(maxQps > 0) || !Number.isFinite(maxQps))
    throw new RangeError(`Max QPS must be a positive number; got ${maxQps}.`);
  if (!Number.isInteger(n) || n < 2 || n > 32) throw new RangeError(`Sweep points must be 2 to 32; got ${n}.`);
  return Array.from({ length: n }, (_, i) => (maxQps * (i + 1)) / n);
}

/** Simulates one replica at one load to the end. */
export function simulatePoint(unit: readonly ServeRequest[], qps: number, config: EngineConfig, slo: Slo): SweepPoint {
  const e = new Engine(config, atRate(unit, qps)).run();
  return { qps, ...summarize([e], slo) };
}

export interface AsyncOpts {
  signal?: AbortSignal;
  onProgress?(fraction: number, text: string): void;
  /** Called between slices of work so a page stays responsive; tests pass nothing and run straight through. */
  pause?(): Promise<void>;
  /** Milliseconds of work between pauses. */
  sliceMs?: number;
}

export function abortError(): Error {
  return new DOMException('Cancelled', 'AbortError');
}

/** Steps an engine to the end in slices, pausing between them and stopping on abort. */
export async function runSliced(e: Engine, opts: AsyncOpts): Promise<void> {
  const slice = opts.sliceMs ?? 12;
  for (;;) {
    const t0 = performance.now();
    let more = true;
    while (more && performance.now() - t0 < slice) for (let k = 0; k < 256 && (more = e.advance()); k++);
    if (opts.signal?.aborted) throw abortError();
    if (!more) return;
    if (opts.pause) await opts.pause();
  }
}

/** A QPS sweep on one replica, each point to the end, with progress and cancel. */
export async function runSweep(
  unit: readonly ServeRequest[],
  qpsList: readonly number[],
  config: EngineConfig,
  slo: Slo,
  opts: AsyncOpts = {},
): Promise<SweepResult> {
  const points: SweepPoint[] = [];
  for (let i = 0; i < qpsList.length; i++) {
    const qps = qpsList[i];
    opts.onProgress?.(i / qpsList.length, `QPS ${qps.toFixed(2)} (${i + 1} of ${qpsList.length})`);
    const e = new Engine(config, atRate(unit, qps));
    await runSliced(e, opts);
    points.push({ qps, ...summarize([e], slo) });
  }
  opts.onProgress?.(1, 'done');
  return { points, ...findKnee(points, slo) };
}
