import { cpuRow, type BenchContext, type BenchRow, type BenchSuite } from '../../bench/types';
import { median } from '../../gpu/timing';
import {
  LLAMA3_RATE_PER_GPU_HOUR,
  MODEL_PRESETS,
  findGpu,
  memoryPerGpu,
  pipelineSchedule,
  scalingCurve,
  simulateFailures,
  STRATEGIES,
  type FailureConfig,
  type ParallelConfig,
} from '../../sim/cluster';

/**
 * The cluster lab's speed: the closed-form memory model, the strong-scaling sweep, the pipeline
 * schedule builder and the failure DES (target: 100,000 simulated hours of a 16,384-GPU job in
 * under a second). CPU only: the GPU fields are 0. Parts of the lab in other files add their rows
 * through `./*.bench.ts` modules exporting `rows(ctx): AsyncIterable<BenchRow>`.
 */
const extraRows = import.meta.glob<{ rows(ctx: BenchContext): AsyncIterable<BenchRow> }>('./*.bench.ts');

function row(
  kernel: string,
  variant: string,
  params: BenchRow['params'],
  samplesMs: number[],
  extra: Record<string, unknown> = {},
): BenchRow {
  return cpuRow({ lab: 'cluster', kernel, variant, params }, samplesMs, extra);
}

function time(repeats: number, f: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    f();
    out.push(performance.now() - t0);
  }
  return out;
}

export const suite: BenchSuite = {
  lab: 'cluster',
  title: 'Cluster models (memory, scaling sweep, pipeline schedule, failure DES)',
  async *run(ctx) {
    const gpu = findGpu('h100-sxm')!;
    const base: ParallelConfig = {
      gpus: 1024,
      tp: 8,
      pp: 4,
      sp: true,
      microBatch: 1,
      microBatches: 32,
      strategy: 'zero1',
      recompute: 'selective',
      precision: 'bf16',
      offload: 'none',
      schedule: '1f1b',
      chunks: 1,
    };

    ctx.progress('memory model: every preset × strategy, 1,000 times');
    const evals = MODEL_PRESETS.length * STRATEGIES.length * 1000;
    const mem = time(7, () => {
      for (let i = 0; i < 1000; i++)
        for (const m of MODEL_PRESETS) for (const strategy of STRATEGIES) memoryPerGpu(m, { ...base, strategy });
    });
    yield row('memory-model', 'closed form', { evaluations: evals }, mem, {
      usPerEvaluation: (median(mem) * 1000) / evals,
    });

    ctx.progress('scaling sweep: 4 strategies × 15 GPU counts');
    const counts = Array.from({ length: 15 }, (_, i) => 2 ** i);
    const model70 = MODEL_PRESETS.find((m) => m.id === 'llama2-70b')!;
    const scal = time(7, () =>
      scalingCurve({ model: model70, config: base, gpu, efficiency: 0.5, overlap: true, globalBatch: 1024 }, counts),
    );
    yield row('scaling-sweep', 'closed form', { points: 60 }, scal);

    ctx.progress('pipeline: interleaved 1F1B, p = 16, m = 64, v = 4');
    let events = 0;
    const pipe = time(5, () => {
      events = pipelineSchedule({ stages: 16, microbatches: 64, schedule: 'interleaved', chunks: 4 }).events.length;
    });
    yield row('pipeline-schedule', 'interleaved', { stages: 16, microbatches: 64, chunks: 4 }, pipe, { events });

    for (const [gpus, hours] of [
      [512, 100_000],
      [16384, 100_000],
    ] as const) {
      ctx.progress(`failure DES: ${hours.toLocaleString('en-US')} simulated hours on ${gpus} GPUs`);
      const cfg: FailureConfig = {
        gpus,
        gpusPerNode: 8,
        failuresPerGpuHour: LLAMA3_RATE_PER_GPU_HOUR,
        hardwareFraction: 0.78,
        intervalH: 0.5,
        writeH: 0.02,
        async: false,
        snapshotH: 0,
        restartH: 0.25,
        policy: 'elastic',
        spareNodes: 4,
        repairH: 12,
        minFraction: 0.5,
        horizonH: hours,
        seed: 1,
        injectAtH: null,
        maxTimeline: 0,
      };
      let failures = 0;
      let checkpoints = 0;
      const des = time(5, () => {
        const r = simulateFailures(cfg);
        failures = r.failures;
        checkpoints = r.checkpoints;
      });
      yield row('failure-des', 'elastic, sync checkpoints', { gpus, simulatedHours: hours }, des, {
        failures,
        checkpoints,
      });
    }

    for (const load of Object.values(extraRows)) yield* (await load()).rows(ctx);
  },
  summarize(rows) {
    const out: string[] = [];
    for (const r of rows.filter((x) => x.kernel === 'failure-des')) {
      out.push(
        `failure DES: ${Number(r.params.simulatedHours).toLocaleString('en-US')} h on ${r.params.gpus} GPUs (${r.failures} failures, ${r.checkpoints} checkpoints) in ${r.medianMs.toFixed(0)} ms (target < 1000 ms: ${r.medianMs < 1000 ? 'met' : 'missed'})`,
      );
    }
    const m = rows.find((x) => x.kernel === 'memory-model');
    if (m) out.push(`memory model: ${Number(m.usPerEvaluation).toFixed(2)} µs per configuration`);
    return out;
  },
};
