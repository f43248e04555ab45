import { findGpu } from '../../catalog/gpus';
import { planCapacity, type Plan } from '../../sim/serving/planner';
import { prefixStudy, type PrefixStudy } from '../../sim/serving/prefix';
import { simulateTandem, sizePipeline, type Sizing, type TandemResult } from '../../sim/serving/rag';
import { Monitor, surgeArrivals, type AlertEvent, type Sample, type StepRecord } from '../../sim/serving/monitor';
import { unitWorkload } from '../../sim/serving/workload';
import type { Job } from '../../sim/serving/engine';
import type { LabRunContext } from '../../labkit/contract';
import {
  alertRules,
  engineConfig,
  planQps,
  provenance,
  ragStations,
  replicaOf,
  sloOf,
  workloadSpec,
  type ServingParams,
} from './params';
import { pause } from './run';
import { servingTrace } from './traceStore';

/** Job names: their slots in props.jobs. */
export const JOBS = { plan: 'plan', prefix: 'prefix', rag: 'rag', monitor: 'monitor' } as const;

/** The serving lab's jobs, by name: what each resolves to. */
export interface ServingJobs {
  plan: PlanResult;
  prefix: PrefixResult;
  rag: RagResult;
  monitor: MonitorResult;
}

function unitOf(p: ServingParams, requests = p.requests) {
  const trace = p.arrivals === 'trace' ? servingTrace() : null;
  if (p.arrivals === 'trace' && !trace) throw new Error('Arrivals are set to "Trace file" but no trace is loaded.');
  return unitWorkload({
    ...workloadSpec(p, trace?.requests ?? null),
    requests: Math.min(requests, trace?.requests.length ?? requests),
  });
}

const aborted = (ctx: LabRunContext) => {
  if (ctx.signal.aborted) throw new DOMException('Cancelled', 'AbortError');
};

export interface PlanResult extends Plan {
  provenance: string;
  gpusPerReplica: number;
  gpu: string;
  users: number | null;
  /** The catalog's indicative price for this GPU, USD per GPU-hour (src/catalog/gpus.ts, PRICE_NOTE). */
  listPricePerHour: number | null;
}

/** A key over the parameters a job reads: a change to any of them marks its result stale. */
const keyOf =
  (...keys: (keyof ServingParams)[]) =>
  (p: ServingParams) =>
    JSON.stringify(keys.map((k) => p[k]));

/** What every simulated replica reads: model, GPU, request mix, arrivals and the engine's scheduler. */
const ENGINE: (keyof ServingParams)[] = [
  'model',
  'config',
  'measured',
  'gpu',
  'kvShare',
  'mix',
  'arrivals',
  'cv',
  'schedule',
  'chunked',
  'chunk',
  'maxBatch',
];

/** Keys that mark a job's result stale: the parameters it read. */
export const jobKeys = {
  plan: keyOf(
    ...ENGINE,
    'systemPrompt',
    'prefixCaching',
    'highShare',
    'sloTtft',
    'sloTpot',
    'seed',
    'planBy',
    'users',
    'userRpm',
    'targetQps',
    'price',
  ),
  prefix: keyOf(...ENGINE, 'requests', 'systemPrompt', 'highShare', 'seed', 'prefixQps'),
  rag: keyOf(
    'model',
    'config',
    'measured',
    'gpu',
    'ragQps',
    'ragSloMs',
    'ragEmbedMs',
    'ragSearchMs',
    'ragRerankMs',
    'ragPrompt',
    'ragEmbedN',
    'ragSearchN',
    'ragRerankN',
    'ragLlmN',
    'seed',
  ),
  monitor: keyOf(
    ...ENGINE,
    'requests',
    'maxQueue',
    'systemPrompt',
    'prefixCaching',
    'seed',
    'monQps',
    'monSurge',
    'alertTtft',
    'alertQueue',
    'alertKv',
    'alertReject',
  ),
};

export async function planJob(ctx: LabRunContext, p: ServingParams): Promise<PlanResult> {
  const r = replicaOf(p);
  const plan = await planCapacity(
    {
      targetQps: planQps(p),
      // As many requests per probe as a sweep point: short runs flatter a replica (queues have no time to build).
      unit: unitOf(p),
      config: { ...engineConfig(p, r), maxQueue: Infinity },
      slo: sloOf(p),
      gpusPerReplica: r.tp,
      dollarsPerGpuHour: p.price,
      checkReplicas: 4,
    },
    { signal: ctx.signal, onProgress: (f, t) => ctx.progress(f, t), pause },
  );
  return {
    ...plan,
    provenance: provenance(r),
    gpusPerReplica: r.tp,
    gpu: r.gpu.name,
    users: p.planBy === 'users' ? p.users : null,
    listPricePerHour: findGpu(p.gpu)?.pricePerHour ?? null,
  };
}

export interface PrefixResult extends PrefixStudy {
  qps: number;
  systemPrompt: number;
  mix: string;
  provenance: string;
}

export async function prefixJob(ctx: LabRunContext, p: ServingParams): Promise<PrefixResult> {
  const r = replicaOf(p);
  ctx.progress(0.1, 'prefix caching off and on');
  await pause();
  const s = prefixStudy(unitOf(p), p.prefixQps, engineConfig(p, r), sloOf(p));
  aborted(ctx);
  return { ...s, qps: p.prefixQps, systemPrompt: p.systemPrompt, mix: p.mix, provenance: provenance(r) };
}

export interface RagResult {
  current: TandemResult;
  sizing: Sizing;
  sloS: number;
  llmMs: number;
  provenance: string;
}

const RAG_REQUESTS = 40_000;
const MONITOR_REQUESTS = 4000;

export async function ragJob(ctx: LabRunContext, p: ServingParams): Promise<RagResult> {
  const r = replicaOf(p);
  const st = ragStations(p, r);
  ctx.progress(0.1, `simulating ${RAG_REQUESTS.toLocaleString('en-US')} queries through your replica counts`);
  await pause();
  const current = simulateTandem(st, p.ragQps, RAG_REQUESTS, p.seed);
  aborted(ctx);
  ctx.progress(0.5, 'growing the bottleneck stage until P99 meets the SLO');
  await pause();
  const sizing = sizePipeline(st, p.ragQps, p.ragSloMs / 1000, RAG_REQUESTS / 2, p.seed);
  aborted(ctx);
  return { current, sizing, sloS: p.ragSloMs / 1000, llmMs: st[3].meanS * 1000, provenance: provenance(r) };
}

export interface MonitorSnapshot {
  /** When the surge runs, in simulated seconds. */
  surge: { t0: number; t1: number; factor: number };
  samples: Sample[];
  events: AlertEvent[];
  window: number;
  done: boolean;
  progress: number;
}

export interface MonitorResult extends MonitorSnapshot {
  steps: StepRecord[];
  jobs: Job[];
  provenance: string;
  model: string;
}

/**
 * Runs the surge scenario in slices; after each slice `onSnapshot` gets the series so far, so the
 * dashboard fills in while the simulation runs.
 */
export async function monitorJob(
  ctx: LabRunContext,
  p: ServingParams,
  onSnapshot: (s: MonitorSnapshot) => void,
): Promise<MonitorResult> {
  const r = replicaOf(p);
  // At least 4,000 requests: a surge needs time to fill the KV cache and build a queue.
  const unit = unitOf(p, Math.max(p.requests, MONITOR_REQUESTS));
  const reqs = surgeArrivals(unit, p.monQps, p.monSurge);
  const U = unit.length ? unit[unit.length - 1].arrival : 0;
  const surge = {
    t0: (0.35 * U) / p.monQps,
    t1: (0.35 * U) / p.monQps + (0.3 * U) / (p.monQps * p.monSurge),
    factor: p.monSurge,
  };
  const m = new Monitor(engineConfig(p, r), reqs, alertRules(p), 120);
  const end = reqs.length ? reqs[reqs.length - 1].arrival : 1;
  let lastDraw = 0;
  for (;;) {
    const t0 = performance.now();
    let more = true;
    while (more && performance.now() - t0 < 12) more = m.advance(64);
    aborted(ctx);
    const frac = Math.min(1, m.engine.time / end);
    ctx.progress(frac, `simulated ${m.engine.time.toFixed(0)} s of ${end.toFixed(0)} s`);
    // The dashboard redraws about 12 times a second; the simulation runs in between.
    if (!more || performance.now() - lastDraw > 80) {
      onSnapshot({
        surge,
        samples: m.samples.slice(),
        events: m.events.slice(),
        window: m.window,
        done: !more,
        progress: frac,
      });
      lastDraw = performance.now();
    }
    if (!more) break;
    await pause();
  }
  return {
    surge,
    samples: m.samples,
    events: m.events,
    window: m.window,
    done: true,
    progress: 1,
    steps: m.steps,
    jobs: m.engine.jobs,
    provenance: provenance(r),
    model: r.profile.name,
  };
}
