import { Cluster, type Balancer } from './cluster';
import { Engine, type EngineConfig } from './engine';
import { summarize, type RunSummary, type Slo } from './metrics';
import { runSliced, type AsyncOpts } from './sweep';
import { atRate, type ServeRequest } from './workload';

export interface PlanInput {
  /** Requests per second the fleet must serve. */
  targetQps: number;
  unit: readonly ServeRequest[];
  config: EngineConfig;
  slo: Slo;
  /** GPUs per replica (tensor parallel). */
  gpusPerReplica: number;
  dollarsPerGpuHour: number;
  /** Replicas simulated behind the balancer to check the plan (the fleet itself may be thousands). */
  checkReplicas: number;
}

export interface Plan {
  targetQps: number;
  /** Highest per-replica QPS that met the SLO (bisection on simulated runs). */
  perReplicaQps: number;
  replicas: number;
  gpus: number;
  dollarsPerHour: number;
  /** $ per million output tokens at the target load. */
  dollarsPerMTok: number;
  /** Requests in flight across the fleet (Little's law: QPS × mean latency). */
  inFlight: number;
  /** Per-replica load checks: simulated runs and whether each met the SLO. */
  probes: { qps: number; met: boolean; ttftP99: number; tpotP99: number }[];
  balancers: { balancer: Balancer; replicas: number; summary: RunSummary }[];
}

async function probe(
  unit: readonly ServeRequest[],
  qps: number,
  config: EngineConfig,
  slo: Slo,
  opts: AsyncOpts,
): Promise<RunSummary> {
  const e = new Engine(config, atRate(unit, qps));
  await runSliced(e, opts);
  return summarize([e], slo);
}

/**
 * Capacity plan: find the most QPS one replica serves within the SLO (double until it breaks, then
 * bisect), divide the target by it, and price the GPUs. Then check the plan behind a load balancer
 * with a few replicas at the planned per-replica load, round robin against least outstanding
 * requests. Replicas are independent, so the fleet is that many copies; no shared bottleneck
 * (network, gateway) is modelled.
 */
export async function planCapacity(p: PlanInput, opts: AsyncOpts = {}): Promise<Plan> {
  if (!(p.targetQps > 0) || !Number.isFinite(p.targetQps))
    throw new RangeError(`Target load must be a positive number of requests per second; got ${p.targetQps}.`);
  if (!(p.dollarsPerGpuHour >= 0))
    throw new RangeError(`GPU price must be 0 or more $/hour; got ${p.dollarsPerGpuHour}.`);
  const probes: Plan['probes'] = [];
  const test = async (qps: number) => {
    const s = await probe(p.unit, qps, p.config, p.slo, opts);
    probes.push({ qps, met: s.sloMet, ttftP99: s.ttft.p99, tpotP99: s.tpot.p99 });
    opts.onProgress?.(
      Math.min(0.7, probes.length / 14),
      `per-replica load ${qps.toFixed(2)} QPS: SLO ${s.sloMet ? 'met' : 'broken'}`,
    );
    return s;
  };
  let lo = 0;
  let hi = 0.5;
  let loSummary: RunSummary | null = null;
  for (let k = 0; k < 14; k++) {
    const s = await test(hi);
    if (!s.sloMet) break;
    lo = hi;
    loSummary = s;
    hi *= 2;
  }
  if (lo === 0) {
    // Even 0.5 QPS breaks it: bisect downwards a few times before giving up.
    hi = 0.5;
    for (let k = 0; k < 6 && lo === 0; k++) {
      const q = hi / 2;
      const s = await test(q);
      if (s.sloMet) {
        lo = q;
        loSummary = s;
      } else hi = q;
    }
    if (lo === 0)
      throw new RangeError(
        `One replica cannot meet the SLO even at ${hi.toFixed(3)} QPS: P99 TTFT ${probes[probes.length - 1].ttftP99.toFixed(3)} s, P99 TPOT ${probes[probes.length - 1].tpotP99.toFixed(4)} s. Loosen the SLO or pick a faster GPU.`,
      );
  }
  for (let k = 0; k < 6 && hi - lo > 0.02 * lo; k++) {
    const mid = (lo + hi) / 2;
    const s = await test(mid);
    if (s.sloMet) {
      lo = mid;
      loSummary = s;
    } else hi = mid;
  }
  const replicas = Math.max(1, Math.ceil(p.targetQps / lo));
  const gpus = replicas * p.gpusPerReplica;
  const dollarsPerHour = gpus * p.dollarsPerGpuHour;
  const meanOut = p.unit.reduce((a, r) => a + r.output, 0) / Math.max(1, p.unit.length);
  const tokPerHour = p.targetQps * meanOut * 3600;

  const balancers: Plan['balancers'] = [];
  const R = Math.max(1, Math.min(p.checkReplicas, replicas));
  const perReplica = p.targetQps / replicas;
  for (const balancer of ['round-robin', 'least-outstanding'] as Balancer[]) {
    opts.onProgress?.(
      balancer === 'round-robin' ? 0.75 : 0.88,
      `${R} replicas behind ${balancer} at ${perReplica.toFixed(2)} QPS each`,
    );
    const c = new Cluster(p.config, R, atRate(p.unit, perReplica * R), balancer);
    for (;;) {
      const more = c.advance(4096);
      if (opts.signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
      if (!more) break;
      if (opts.pause) await opts.pause();
    }
    balancers.push({ balancer, replicas: R, summary: summarize(c.replicas, p.slo) });
  }
  opts.onProgress?.(1, 'done');
  return {
    targetQps: p.targetQps,
    perReplicaQps: lo,
    replicas,
    gpus,
    dollarsPerHour,
    dollarsPerMTok: tokPerHour > 0 ? (dollarsPerHour / tokPerHour) * 1e6 : 0,
    inFlight: p.targetQps * (loSummary ? loSummary.e2e.mean : 0),
    probes,
    balancers,
  };
}
