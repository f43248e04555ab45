import { Rng } from '../kvcache/rng';
import { mmc } from './erlang';
import { percentiles, type Percentiles } from './metrics';

export type ServiceDist = 'exponential' | 'deterministic' | 'lognormal';

/** One stage of a request pipeline: `servers` identical workers sharing one FCFS queue. */
export interface Station {
  name: string;
  servers: number;
  /** Mean service time per request, seconds. */
  meanS: number;
  dist: ServiceDist;
  /** Coefficient of variation for 'lognormal'. */
  cv: number;
}

export interface StationStats {
  name: string;
  servers: number;
  meanS: number;
  /** λ × mean service / servers: at or above 1 the queue grows without bound. */
  utilization: number;
  meanWaitS: number;
  p99WaitS: number;
  meanSojournS: number;
  /** The M/M/c closed-form mean wait at this load (exact only for exponential service). */
  erlangWaitS: number;
}

export interface TandemResult {
  qps: number;
  requests: number;
  stations: StationStats[];
  e2e: Percentiles;
  /** The station with the highest utilisation. */
  bottleneck: number;
  stable: boolean;
  /** Sum of mean service times: the latency floor no number of replicas removes. */
  serviceFloorS: number;
}

export const MAX_RAG_REQUESTS = 400_000;

/** A min-heap of server free times (replace-top only). */
class FreeTimes {
  private readonly h: Float64Array;
  constructor(n: number) {
    this.h = new Float64Array(n);
  }
  min(): number {
    return this.h[0];
  }
  replaceMin(x: number): void {
    const h = this.h;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let v = x;
      if (l < n && h[l] < v) {
        m = l;
        v = h[l];
      }
      if (r < n && h[r] < v) m = r;
      if (m === i) break;
      h[i] = h[m];
      i = m;
    }
    h[i] = x;
  }
}

function serviceSampler(s: Station, rng: Rng): () => number {
  if (s.dist === 'deterministic') return () => s.meanS;
  if (s.dist === 'exponential') return () => rng.exponential(1 / s.meanS);
  const sigma = Math.sqrt(Math.log(1 + s.cv * s.cv));
  const mu = Math.log(s.meanS) - (sigma * sigma) / 2;
  return () => Math.exp(mu + sigma * rng.normal());
}

export function validateStations(stations: readonly Station[]): void {
  if (!stations.length) throw new RangeError('A pipeline needs at least one stage.');
  for (const s of stations) {
    if (!Number.isInteger(s.servers) || s.servers < 1 || s.servers > 100_000)
      throw new RangeError(`${s.name}: replicas must be 1 to 100,000; got ${s.servers}.`);
    if (!(s.meanS > 0) || !Number.isFinite(s.meanS))
      throw new RangeError(`${s.name}: service time must be a positive number of seconds; got ${s.meanS}.`);
    if (s.dist === 'lognormal' && !(s.cv > 0))
      throw new RangeError(`${s.name}: a lognormal service time needs a CV above 0; got ${s.cv}.`);
  }
}

/**
 * Stations in series (embed → vector search → rerank → LLM prefill), Poisson arrivals, simulated
 * request by request. With FCFS and identical servers each request takes the earliest-free
 * server, so a station is exactly the recursion start = max(arrival, earliest free), which needs
 * only a heap of free times; a station's departures, sorted, are the next one's arrivals.
 * The first `warmup` share of requests is left out of the statistics (the queues start empty).
 */
export function simulateTandem(
  stations: readonly Station[],
  qps: number,
  requests: number,
  seed: number,
  warmup = 0.1,
): TandemResult {
  validateStations(stations);
  if (!(qps > 0) || !Number.isFinite(qps)) throw new RangeError(`QPS must be a positive number; got ${qps}.`);
  if (!Number.isInteger(requests) || requests < 10 || requests > MAX_RAG_REQUESTS)
    throw new RangeError(`Requests must be 10 to ${MAX_RAG_REQUESTS.toLocaleString('en-US')}; got ${requests}.`);
  const n = requests;
  const rng = new Rng(seed);
  const arrival = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rng.exponential(qps);
    arrival[i] = t;
  }
  const skip = Math.floor(n * warmup);
  let at = Float64Array.from(arrival);
  let order = Int32Array.from({ length: n }, (_, i) => i);
  const stats: StationStats[] = [];
  for (let si = 0; si < stations.length; si++) {
    const s = stations[si];
    const draw = serviceSampler(s, new Rng(seed * 1000 + si + 1));
    const free = new FreeTimes(s.servers);
    const dep = new Float64Array(n);
    const wait = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const start = Math.max(at[i], free.min());
      const end = start + draw();
      free.replaceMin(end);
      wait[i] = start - at[i];
      dep[i] = end;
    }
    const counted: number[] = [];
    let sojourn = 0;
    for (let i = skip; i < n; i++) {
      counted.push(wait[i]);
      sojourn += dep[i] - at[i];
    }
    const w = percentiles(counted);
    const lambda = qps;
    stats.push({
      name: s.name,
      servers: s.servers,
      meanS: s.meanS,
      utilization: (lambda * s.meanS) / s.servers,
      meanWaitS: w.mean,
      p99WaitS: w.p99,
      meanSojournS: sojourn / Math.max(1, n - skip),
      erlangWaitS: mmc(lambda, 1 / s.meanS, s.servers).wq,
    });
    at = dep;
    order = order.slice().sort((a, b) => dep[a] - dep[b]);
  }
  const total = new Float64Array(n - skip);
  for (let i = skip; i < n; i++) total[i - skip] = at[i] - arrival[i];
  let bottleneck = 0;
  stats.forEach((s, i) => {
    if (s.utilization > stats[bottleneck].utilization) bottleneck = i;
  });
  return {
    qps,
    requests: n,
    stations: stats,
    e2e: percentiles(total),
    bottleneck,
    stable: stats.every((s) => s.utilization < 1),
    serviceFloorS: stations.reduce((a, s) => a + s.meanS, 0),
  };
}

export interface SizingStep {
  servers: number[];
  p99S: number;
  /** The stage that got more replicas after this step, or -1 at the end. */
  grew: number;
}

export interface Sizing {
  servers: number[];
  result: TandemResult;
  met: boolean;
  steps: SizingStep[];
  /** Why the SLO cannot be met by replicas alone, when it cannot. */
  reason: string | null;
}

/**
 * Finds replica counts that bring P99 end-to-end latency under the SLO: start every stage just
 * stable (utilisation below 0.9 or one more server), then repeatedly give the stage whose P99 wait
 * is largest about 10% more replicas. If the service times alone exceed the SLO, no count helps.
 */
export function sizePipeline(
  stations: readonly Station[],
  qps: number,
  sloS: number,
  requests: number,
  seed: number,
  maxRounds = 60,
): Sizing {
  validateStations(stations);
  const floor = stations.reduce((a, s) => a + s.meanS, 0);
  const servers = stations.map((s) => Math.max(1, Math.ceil((qps * s.meanS) / 0.9), Math.floor(qps * s.meanS) + 1));
  const steps: SizingStep[] = [];
  const at = () => stations.map((s, i) => ({ ...s, servers: servers[i] }));
  let result = simulateTandem(at(), qps, requests, seed);
  if (floor >= sloS)
    return {
      servers,
      result,
      met: false,
      steps,
      reason: `The stages’ mean service times add up to ${(floor * 1000).toFixed(0)} ms, at or above the ${(sloS * 1000).toFixed(0)} ms SLO: no number of replicas helps. Make a stage faster (smaller model, shorter prompt, cached embeddings).`,
    };
  for (let round = 0; round < maxRounds && result.e2e.p99 > sloS; round++) {
    let worst = 0;
    result.stations.forEach((s, i) => {
      if (s.p99WaitS > result.stations[worst].p99WaitS) worst = i;
    });
    steps.push({ servers: servers.slice(), p99S: result.e2e.p99, grew: worst });
    if (result.stations[worst].p99WaitS <= 0) break;
    servers[worst] = Math.max(servers[worst] + 1, Math.ceil(servers[worst] * 1.1));
    result = simulateTandem(at(), qps, requests, seed);
  }
  steps.push({ servers: servers.slice(), p99S: result.e2e.p99, grew: -1 });
  const met = result.e2e.p99 <= sloS;
  return {
    servers,
    result,
    met,
    steps,
    reason: met
      ? null
      : `P99 is still ${(result.e2e.p99 * 1000).toFixed(0)} ms after ${steps.length} rounds: the service-time tails alone exceed the SLO; make the slowest stage faster.`,
  };
}
