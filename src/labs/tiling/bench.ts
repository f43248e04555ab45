import { kernelRow, type BenchRow, type BenchSuite } from '../../bench/types';
import { destroyAll } from '../../gpu/buffers';
import { timeSteps, type TimingOptions } from '../../gpu/timing';
import { roundPlan, timeInRounds, type Contender } from '../../bench/rounds';
import { prepareMatmul, type PreparedMatmul } from '../../kernels/matmul/host';
import { DEFAULT_SHAPES, type MatmulDims, type MatmulVariant, type TileShape } from '../../kernels/matmul/types';
import { checkKernel } from '../../kernels/measure';
import type { PreparedPeerOp } from '../../peers';
import { preparePeers, type CheckedPeer } from './compare';
import { measureCeilings } from '../../kernels/ceilings/ceilings';
import { bestPeer, runLadderWithPeers } from './ladder';
import { shapeLabel } from './params';
import { countTraffic, matmulCheck, uploadOperands } from './run';

/** The shapes the bench runs: fixed, GPU-minded choices (not tuned for SwiftShader). */
const BENCH_KERNELS: { variant: MatmulVariant; name: string; shape: TileShape }[] = [
  { variant: 'naive', name: 'naive', shape: { tileM: 16, tileN: 16, tileK: 1, blockM: 1, blockN: 1 } },
  { variant: 'tiled', name: 'tiled', shape: { tileM: 16, tileN: 16, tileK: 16, blockM: 1, blockN: 1 } },
  {
    variant: 'register-blocked',
    name: 'register-blocked 64',
    shape: { tileM: 64, tileN: 64, tileK: 16, blockM: 4, blockN: 4 },
  },
  {
    variant: 'register-blocked',
    name: 'register-blocked 128',
    shape: { tileM: 128, tileN: 128, tileK: 8, blockM: 8, blockN: 8 },
  },
  { variant: 'register-blocked-vec4', name: 'register-blocked vec4', shape: DEFAULT_SHAPES['register-blocked-vec4'] },
];

interface CheckedKernel {
  name: string;
  variant: MatmulVariant;
  prepared: PreparedMatmul;
  relError: number;
  counted: { bytesRead: number; bytesWritten: number } | null;
}

/**
 * Our matmul kernels and the peer libraries on the same adapter, same operands, same timing
 * protocol. Every output is checked against the CPU reference first (that run is the warm-up);
 * then all implementations are timed in interleaved rounds and each row is a median over rounds.
 */
export const suite: BenchSuite = {
  lab: 'tiling',
  title: 'Matmul: naive, tiled, register-blocked (scalar, vec4) vs TensorFlow.js and onnxruntime-web',
  async *run(ctx) {
    const rt = ctx.runtime;
    const sizes = ctx.software ? [256, 512, 1024] : [256, 512, 1024, 2048, 4096];
    const done: BenchRow[] = [];
    // The SGEMM-worklog ladder first: every rung checked, timed and counted, against this device's
    // measured FMA peak and the best peer on the same operands.
    {
      const n = ctx.software ? 256 : 2048;
      const dims: MatmulDims = { M: n, N: n, K: n };
      ctx.progress(`ladder ${n}³: measuring this device's FMA peak`);
      const ceil = await measureCeilings(
        rt,
        ctx.software
          ? { copyMiB: 16, fmaThreads: 256, fmaIterations: 256 }
          : { copyMiB: 64, fmaThreads: 1024, fmaIterations: 2048 },
      );
      const fma = ceil.fma.gflopPerS;
      const timing = ctx.software
        ? { warmup: 0, samples: 3, minSampleMs: 0, maxRepeats: 1 }
        : { warmup: 1, samples: 7, minSampleMs: 5 };
      const ladder = await runLadderWithPeers(rt, dims, {
        timing,
        progress: (_f, t) => ctx.progress(`ladder ${n}³: ${t}`),
      });
      const peer = bestPeer(ladder.peers);
      const ladderRows: BenchRow[] = [];
      for (const r of ladder.rows) {
        if (r.gflopPerS === null || r.medianMs === null) {
          ctx.progress(`ladder rung ${r.label} did not run: ${r.note}`);
          continue;
        }
        const row: BenchRow = {
          lab: 'tiling',
          kernel: 'matmul-ladder',
          variant: r.label,
          impl: 'ours',
          params: { M: n, N: n, K: n, shape: shapeLabel(r.variant, r.shape) },
          medianMs: r.medianMs,
          spreadMs: r.spreadMs ?? NaN,
          gbPerS: r.bytesMoved / (r.medianMs * 1e6),
          gflopPerS: r.gflopPerS,
          bytesMoved: r.bytesMoved,
          flops: 2 * n ** 3,
          timing: r.timing ?? 'wallclock',
          adapter: ctx.adapter,
          fmaPeakGflopPerS: fma,
          pctOfFmaPeak: (100 * r.gflopPerS) / fma,
          bestPeer: peer?.label ?? null,
          pctOfBestPeer: peer?.gflopPerS ? (100 * r.gflopPerS) / peer.gflopPerS : null,
          countsMatchModel: r.countsMatch,
          segmentsPerGlobalAccess: r.access.segmentsPerAccess,
          conflictsPerSharedAccess: r.access.conflictsPerAccess,
          error: r.error,
        };
        ladderRows.push(row);
        yield row;
      }
      // The table as soon as it is known: the size sweep after it takes minutes on a CPU adapter.
      for (const line of suite.summarize!(ladderRows)) ctx.progress(line);
    }
    for (const n of sizes) {
      const dims: MatmulDims = { M: n, N: n, K: n };
      const flops = 2 * n ** 3;
      const plan = roundPlan(ctx.software, flops);
      const ops = await uploadOperands(rt, dims);
      const ours: CheckedKernel[] = [];
      let peers: CheckedPeer[] = [];
      try {
        for (const k of BENCH_KERNELS) {
          ctx.progress(`${n}³ ${k.name}: compile and check`);
          const prepared = await prepareMatmul(rt, k.variant, dims, k.shape, { inputs: { a: ops.bufA, b: ops.bufB } });
          const entry: CheckedKernel = { name: k.name, variant: k.variant, prepared, relError: NaN, counted: null };
          ours.push(entry);
          // measureChecked's check half (checkKernel): the timing is the interleaved rounds below,
          // with the peers; a wrong output throws, naming the worst index.
          entry.relError = (
            await checkKernel(rt, prepared, matmulCheck(prepared, ops.a, ops.b, `${k.name} at ${n}³`))
          ).error;
          // Counting costs one more full run; at 256³ every variant's bytes fit the 32-bit counters.
          if (n <= 256)
            entry.counted = await countTraffic(rt, k.variant, dims, prepared.shape, { a: ops.bufA, b: ops.bufB });
        }
        ctx.progress(`${n}³ peers: load and check`);
        peers = await preparePeers(dims);
        for (const p of peers) if (!p.op) ctx.progress(`${p.row.label} at ${n}³: ${p.row.error}`);
        const timedPeers = peers.filter((p): p is CheckedPeer & { op: PreparedPeerOp } => p.op !== null);
        const contenders: Contender[] = [
          ...ours.map((k) => ({
            name: k.name,
            async sample(opts: TimingOptions) {
              const t = await timeSteps(rt.device, k.prepared.steps, opts);
              return { ms: t.samplesMs[0], repeats: t.repeats, timing: t.timing };
            },
          })),
          ...timedPeers.map((p) => ({
            name: p.row.label,
            async sample(opts: TimingOptions) {
              const t = await p.op.time(opts);
              return { ms: t.samplesMs[0], repeats: t.repeats, timing: t.timing };
            },
          })),
        ];
        const results = await timeInRounds(contenders, plan, (text) => ctx.progress(`${n}³ ${text}`));
        for (const [i, k] of ours.entries()) {
          const r = results[i];
          const cost = k.prepared.cost;
          const bytesMoved = cost.bytesRead + cost.bytesWritten;
          const row = kernelRow(
            {
              lab: 'tiling',
              kernel: 'matmul',
              variant: k.name,
              impl: 'ours',
              params: { M: n, N: n, K: n, shape: shapeLabel(k.variant, k.prepared.shape) },
            },
            {
              medianMs: r.medianMs,
              spreadMs: r.spreadMs,
              gbPerS: bytesMoved / (r.medianMs * 1e6),
              gflopPerS: cost.flops / (r.medianMs * 1e6),
              bytesMoved,
              flops: cost.flops,
              timing: r.timing,
            },
            ctx.adapter,
            {
              relError: k.relError,
              bytesRead: cost.bytesRead,
              countedBytesRead: k.counted?.bytesRead ?? null,
              rounds: plan.rounds,
            },
          );
          done.push(row);
          yield row;
        }
        for (const [j, p] of timedPeers.entries()) {
          const r = results[ours.length + j];
          const row: BenchRow = {
            lab: 'tiling',
            kernel: 'matmul',
            variant: p.row.label,
            impl: p.row.impl,
            params: { M: n, N: n, K: n, version: p.row.version },
            medianMs: r.medianMs,
            spreadMs: r.spreadMs,
            gbPerS: NaN,
            gflopPerS: flops / (r.medianMs * 1e6),
            bytesMoved: NaN,
            flops,
            timing: r.timing,
            adapter: ctx.adapter,
            relError: p.row.relError,
            rounds: plan.rounds,
          };
          done.push(row);
          yield row;
        }
      } finally {
        for (const k of ours) k.prepared.dispose();
        for (const p of peers) p.op?.dispose();
        destroyAll([ops.bufA, ops.bufB]);
      }
      // Ratios per size as soon as they are known: big sizes on a CPU adapter take many minutes.
      for (const line of suite.summarize!(done.filter((r) => Number(r.params.M) === n))) ctx.progress(line);
    }
  },
  summarize(all: BenchRow[]) {
    const lines: string[] = [];
    const ladder = all.filter((r) => r.kernel === 'matmul-ladder');
    if (ladder.length) {
      const r0 = ladder[0];
      lines.push(
        `ladder ${r0.params.M}³ (FMA peak ${(r0.fmaPeakGflopPerS as number).toPrecision(3)} GFLOP/s measured here; best peer ${r0.bestPeer ?? 'none ran'}):`,
      );
      lines.push(
        `  ${'rung'.padEnd(34)} ${'GFLOP/s'.padStart(9)} ${'%FMA'.padStart(7)} ${'%peer'.padStart(7)} ${'MiB moved'.padStart(10)} ${'seg/acc'.padStart(8)} ${'confl/acc'.padStart(9)} counted`,
      );
      for (const r of ladder) {
        const peerPct = r.pctOfBestPeer as number | null;
        lines.push(
          `  ${r.variant.padEnd(34)} ${r.gflopPerS.toPrecision(3).padStart(9)} ${(r.pctOfFmaPeak as number).toFixed(1).padStart(6)}% ${(peerPct === null ? '—' : `${peerPct.toFixed(1)}%`).padStart(7)} ${(r.bytesMoved / 2 ** 20).toFixed(1).padStart(10)} ${(r.segmentsPerGlobalAccess as number).toFixed(2).padStart(8)} ${(r.conflictsPerSharedAccess as number).toFixed(2).padStart(9)} ${r.countsMatchModel === null ? 'not counted' : r.countsMatchModel ? '= model' : 'DIFFERS FROM MODEL'}`,
        );
      }
    }
    const rows = all.filter((r) => r.kernel !== 'matmul-ladder');
    const sizes = [...new Set(rows.map((r) => Number(r.params.M)))];
    for (const n of sizes) {
      const at = rows.filter((r) => Number(r.params.M) === n);
      const ours = at.filter((r) => r.impl === 'ours');
      const peers = at.filter((r) => r.impl !== 'ours');
      const best = ours.reduce<BenchRow | null>((b, r) => (!b || r.gflopPerS > b.gflopPerS ? r : b), null);
      const naive = ours.find((r) => r.variant === 'naive');
      if (!best || !naive) continue;
      const rounds = best.rounds ? ` (medians of ${best.rounds} interleaved rounds)` : '';
      const parts = [
        `${n}³${rounds}: our best ${best.variant} ${best.gflopPerS.toPrecision(3)} GFLOP/s = ${(best.gflopPerS / naive.gflopPerS).toFixed(2)}x naive`,
      ];
      for (const p of peers)
        parts.push(`${(best.gflopPerS / p.gflopPerS).toFixed(2)}x ${p.variant} (${p.gflopPerS.toPrecision(3)})`);
      const bestPeer = peers.reduce<BenchRow | null>((b, r) => (!b || r.gflopPerS > b.gflopPerS ? r : b), null);
      parts.push(bestPeer ? `${(best.gflopPerS / bestPeer.gflopPerS).toFixed(2)}x the best peer` : 'no peer ran');
      lines.push(parts.join('; '));
      const traffic = ours
        .filter((r) => r !== naive)
        .map(
          (r) =>
            `${r.variant} ${((r.bytesRead as number) / (naive.bytesRead as number)).toFixed(4)} (1/${((naive.bytesRead as number) / (r.bytesRead as number)).toFixed(0)})`,
        );
      const counted = ours.every((r) => r.countedBytesRead === null || r.countedBytesRead === r.bytesRead)
        ? 'counters agree where they fit in 32 bits'
        : 'COUNTERS DISAGREE WITH THE MODEL';
      lines.push(`${n}³ global bytes read vs naive (cost model): ${traffic.join(', ')}; ${counted}`);
    }
    return lines;
  },
};
