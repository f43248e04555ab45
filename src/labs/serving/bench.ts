import { cpuRow, type BenchRow, type BenchSuite } from '../../bench/types';
import { median } from '../../gpu/timing';
import { replicaFor } from '../../sim/serving/models';
import { simulateTandem } from '../../sim/serving/rag';
import { qpsPoints, runSweep, type SweepResult } from '../../sim/serving/sweep';
import { unitWorkload, type WorkloadSpec } from '../../sim/serving/workload';
import type { EngineConfig } from '../../sim/serving/engine';

const LAB = 'serving';
const REQUESTS = 10_000;
const POINTS = 8;
const RUNS = 3;
const TARGET_MS = 2000;

function cpuNow(): number | null {
  return typeof process !== 'undefined' && process.cpuUsage ? process.cpuUsage().user / 1000 : null;
}

async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; ms: number; cpuMs: number | null }> {
  const c0 = cpuNow();
  const t0 = performance.now();
  const value = await f();
  const ms = performance.now() - t0;
  const c1 = cpuNow();
  return { value, ms, cpuMs: c0 !== null && c1 !== null ? c1 - c0 : null };
}

/**
 * The simulator's own speed (Node, CPU): a 10,000-request sweep over 8 loads on one replica
 * (Llama-2-7B on an A100, ShareGPT-like chat; then multi-turn chats with prefix caching on), and
 * 100,000 queries through the four-stage RAG pipeline. Wall and CPU time both: on a shared machine
 * the wall clock counts other people's work too. No GPU is involved.
 */
export const suite: BenchSuite = {
  lab: LAB,
  title: 'Serving: simulator speed (10,000-request QPS sweeps, RAG pipeline DES)',
  async *run(ctx) {
    const r = replicaFor('llama2-7b', 'a100-80');
    const base: EngineConfig = {
      model: r.profile,
      numBlocks: r.numBlocks,
      blockSize: r.blockSize,
      maxBatch: 256,
      schedule: 'fcfs',
      chunkedPrefill: false,
      prefillChunk: 512,
      prefixCaching: false,
      maxQueue: Infinity,
    };
    const slo = { ttftS: 1, tpotS: 0.05 };
    const cases: { variant: string; spec: WorkloadSpec; config: EngineConfig }[] = [
      {
        variant: 'chat-fcfs',
        spec: {
          mix: 'chat',
          requests: REQUESTS,
          systemPrompt: 0,
          highPriorityShare: 0.2,
          arrivals: 'poisson',
          cv: 1,
          seed: 1,
        },
        config: base,
      },
      {
        variant: 'multiturn-prefix-cache-chunked',
        spec: {
          mix: 'multiturn',
          requests: REQUESTS,
          systemPrompt: 300,
          highPriorityShare: 0.2,
          arrivals: 'gamma',
          cv: 2,
          seed: 1,
        },
        config: { ...base, prefixCaching: true, chunkedPrefill: true },
      },
    ];
    for (const c of cases) {
      ctx.progress(`sweep ${c.variant}: ${REQUESTS} requests × ${POINTS} loads`);
      const unit = unitWorkload(c.spec);
      const times: number[] = [];
      const cpu: number[] = [];
      let res: SweepResult | null = null;
      for (let i = 0; i < RUNS; i++) {
        const t = await timed(() => runSweep(unit, qpsPoints(32, POINTS), c.config, slo));
        times.push(t.ms);
        if (t.cpuMs !== null) cpu.push(t.cpuMs);
        res = t.value;
      }
      yield cpuRow(
        {
          lab: LAB,
          kernel: 'qps-sweep',
          variant: c.variant,
          params: { requests: REQUESTS, points: POINTS, qpsMax: 32, model: 'llama2-7b', gpu: 'a100-80' },
        },
        times,
        {
          cpuMs: cpu.length ? median(cpu) : null,
          kneeQps: res!.maxGoodQps,
          simulatedRequests: REQUESTS * POINTS,
          prefixHitRate: res!.points[0].prefixHitRate,
        },
      );
    }
    ctx.progress('RAG pipeline: 100,000 queries × 4 stages');
    const st = [
      { name: 'embed', servers: 24, meanS: 0.002, dist: 'lognormal' as const, cv: 0.3 },
      { name: 'search', servers: 64, meanS: 0.005, dist: 'exponential' as const, cv: 1 },
      { name: 'rerank', servers: 340, meanS: 0.03, dist: 'lognormal' as const, cv: 0.5 },
      { name: 'llm', servers: 800, meanS: 0.065, dist: 'lognormal' as const, cv: 0.2 },
    ];
    const times: number[] = [];
    let p99 = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = await timed(() => simulateTandem(st, 10_000, 100_000, 1 + i));
      times.push(t.ms);
      p99 = t.value.e2e.p99;
    }
    yield cpuRow(
      { lab: LAB, kernel: 'rag-des', variant: '4-stage', params: { queries: 100_000, qps: 10_000 } },
      times,
      { p99Ms: p99 * 1000 },
    );
  },
  summarize(rows: BenchRow[]) {
    return rows
      .filter((r) => r.kernel === 'qps-sweep')
      .map(
        (r) =>
          `${r.variant}: ${REQUESTS.toLocaleString('en-US')} requests × ${POINTS} loads in ${r.medianMs.toFixed(0)} ms wall, ${r.cpuMs === null ? '?' : Number(r.cpuMs).toFixed(0)} ms CPU (target < ${TARGET_MS} ms: ${Math.min(r.medianMs, Number(r.cpuMs ?? Infinity)) < TARGET_MS ? 'met' : 'MISSED'}); SLO knee ≈ ${Number(r.kneeQps).toFixed(1)} req/s`,
      );
  },
};
