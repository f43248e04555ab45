/**
 * Bench rows of the cluster lab's live parts (bench.ts yields them after its own):
 *  - the fp16/bf16 cast kernel's bandwidth (checked bit for bit against the CPU reference first;
 *    8 bytes per value: compare with the device lab's copy bandwidth on the same adapter);
 *  - the mini-cluster's ring all-reduce: bytes each rank sent per step, measured in a real run on
 *    Node worker_threads, against 2(N−1)/N · gradient bytes, and the step time.
 */
import type { BenchContext, BenchRow } from '../../bench/types';
import { cpuRow, kernelRow } from '../../bench/types';
import { median } from '../../gpu/timing';
import { measureKernel } from '../../kernels/measure';
import { checkCast, logNormalGradient, prepareCast } from '../../kernels/precision';
import { ringBytesFormula } from '../../sim/cluster/allreduce';
import { DEFAULT_TRAIN, paramCount, type TrainConfig } from '../../sim/cluster/training';
import { memoryStore } from '../../workers/clusterCheckpoints';
import { ClusterJob } from '../../workers/clusterJob';

export async function* castBenchRows(ctx: BenchContext): AsyncGenerator<BenchRow> {
  const rt = ctx.runtime;
  // Software adapters are CPUs: a small tensor keeps the suite short; GPUs get one big enough to stream.
  const sizes = ctx.software ? [1 << 18] : [1 << 22, 1 << 24];
  for (const n of sizes) {
    for (const scaleLog2 of [0, 12]) {
      ctx.progress(`precision cast: ${n} values, S = 2^${scaleLog2}`);
      const input = logNormalGradient({ n, seed: 1 });
      const k = await prepareCast(rt, input, { scale: 2 ** scaleLog2 });
      try {
        const { stats } = await checkCast(rt, k, input);
        const m = await measureKernel(rt.device, k);
        yield kernelRow(
          {
            lab: 'cluster',
            kernel: 'precision-cast',
            variant: 'fp16+bf16 RNE',
            impl: 'ours',
            params: { n, scale: 2 ** scaleLog2 },
          },
          m,
          ctx.adapter,
          {
            fp16UnderflowPct: (100 * stats.fp16.underflow) / stats.nonzero,
            fp16OverflowPct: (100 * stats.fp16.overflow) / stats.nonzero,
            bitExact: true,
          },
        );
      } finally {
        k.dispose();
      }
    }
  }
}

export async function* allReduceBenchRows(ctx: BenchContext, steps = 30): AsyncGenerator<BenchRow> {
  const { nodeWorkerFactory } = await import('../../workers/node/nodeFactory');
  const factory = await nodeWorkerFactory(undefined, 'src/workers/node/cluster.node-worker.ts');
  // A wider hidden layer than the lab's demo, so the gradient (and the all-reduce) is not trivially small.
  const cfg: TrainConfig = { ...DEFAULT_TRAIN, hidden: 1024, steps };
  const gradBytes = paramCount(cfg) * 4;
  for (const ranks of [2, 4, 8]) {
    ctx.progress(`mini-cluster all-reduce: ${ranks} worker threads`);
    const ms: number[] = [];
    const comm: number[] = [];
    const job = new ClusterJob({
      factory,
      cfg,
      ranks,
      checkpointEvery: 0,
      store: memoryStore(),
      policy: 'replace',
      onEvent: (e) => {
        if (e.kind === 'step' && e.record.step >= 3) {
          ms.push(e.ms);
          comm.push(e.commMs);
        }
      },
    });
    const r = await job.run();
    const sent = Math.max(...r.bytesPerRank);
    yield cpuRow(
      {
        lab: 'cluster',
        kernel: 'ring-allreduce',
        variant: `${ranks} ranks (worker_threads, MessageChannel)`,
        params: { ranks, params: paramCount(cfg), steps },
      },
      ms,
      {
        bytesMoved: sent,
        bytesPerRank: sent,
        formulaBytes: ringBytesFormula(gradBytes, ranks),
        gradientBytes: gradBytes,
        allReduceMedianMs: median(comm),
      },
    );
  }
}

/** Both groups of rows, for the cluster suite to yield after its own. */
export async function* liveBenchRows(ctx: BenchContext): AsyncGenerator<BenchRow> {
  yield* castBenchRows(ctx);
  yield* allReduceBenchRows(ctx);
}

/** Picked up by the cluster suite (bench.ts globs ./*.bench.ts for `rows`). */
export const rows = liveBenchRows;
