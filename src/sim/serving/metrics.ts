import { JOB_DONE, type Engine, type Job } from './engine';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

/** A user's service-level objective on each request. */
export interface Slo {
  /** Time to first token, seconds. */
  ttftS: number;
  /** Time per output token after the first, seconds. */
  tpotS: number;
}

/** Nearest-rank percentile of an ascending array (the same rule as the KV-cache simulator). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export function percentiles(values: ArrayLike<number>): Percentiles {
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i];
  return { p50: quantile(s, 0.5), p90: quantile(s, 0.9), p99: quantile(s, 0.99), mean: s.length ? sum / s.length : 0 };
}

export function ttft(j: Job): number {
  return j.firstTokenTime - j.r.arrival;
}
/** Mean time between output tokens after the first (0 for one-token answers). */
export function tpot(j: Job): number {
  return j.r.output > 1 ? (j.finishTime - j.firstTokenTime) / (j.r.output - 1) : 0;
}
export function e2e(j: Job): number {
  return j.finishTime - j.r.arrival;
}

export function meetsSlo(j: Job, slo: Slo): boolean {
  return j.state === JOB_DONE && ttft(j) <= slo.ttftS && tpot(j) <= slo.tpotS;
}

export interface RunSummary {
  requests: number;
  completed: number;
  rejected: number;
  ttft: Percentiles;
  tpot: Percentiles;
  e2e: Percentiles;
  /** Completed requests per second over the run. */
  throughputRps: number;
  outputTokPerS: number;
  /** Completed requests per second that met the SLO (DistServe's goodput). */
  goodputRps: number;
  /** Share of all requests (rejected ones included) that met the SLO. */
  attainment: number;
  /** Both P99s within the SLO and nothing rejected. */
  sloMet: boolean;
  preemptions: number;
  /** Share of wall time the GPU ran a step (what nvidia-smi calls utilization). */
  gpuBusy: number;
  /** Model FLOPs done / (peak FLOP/s × time): model FLOPs utilization. */
  mfu: number;
  /** Prompt tokens served from the prefix cache / all prompt tokens. */
  prefixHitRate: number;
  evictions: number;
  spanS: number;
}

/** Latency and throughput of one or more replicas that have run to the end. */
export function summarize(engines: readonly Engine[], slo: Slo): RunSummary {
  const jobs: Job[] = [];
  for (const e of engines) for (const j of e.jobs) jobs.push(j);
  const done = jobs.filter((j) => j.state === JOB_DONE);
  let first = Infinity;
  let last = 0;
  for (const j of jobs) first = Math.min(first, j.r.arrival);
  for (const j of done) last = Math.max(last, j.finishTime);
  const span = Math.max(last - (Number.isFinite(first) ? first : 0), 1e-9);
  let good = 0;
  let tokens = 0;
  for (const j of done) {
    if (meetsSlo(j, slo)) good++;
    tokens += j.r.output;
  }
  let busy = 0;
  let flops = 0;
  let peak = 0;
  let pre = 0;
  let prompt = 0;
  let cached = 0;
  let evictions = 0;
  for (const e of engines) {
    busy += e.busyTime;
    flops += e.flops;
    peak += e.config.model.flopsPerS;
    pre += e.preemptions;
    prompt += e.promptTokens;
    cached += e.cachedTokens;
    evictions += e.pool.evictions;
  }
  const t = percentiles(done.map(ttft));
  const p = percentiles(done.filter((j) => j.r.output > 1).map(tpot));
  const rejected = jobs.length - done.length;
  return {
    requests: jobs.length,
    completed: done.length,
    rejected,
    ttft: t,
    tpot: p,
    e2e: percentiles(done.map(e2e)),
    throughputRps: done.length / span,
    outputTokPerS: tokens / span,
    goodputRps: good / span,
    attainment: jobs.length ? good / jobs.length : 0,
    sloMet: done.length > 0 && rejected === 0 && t.p99 <= slo.ttftS && p.p99 <= slo.tpotS,
    preemptions: pre,
    gpuBusy: Math.min(1, busy / (span * engines.length)),
    mfu: peak > 0 ? flops / (peak * span) : 0,
    prefixHitRate: prompt ? cached / prompt : 0,
    evictions,
    spanS: span,
  };
}
