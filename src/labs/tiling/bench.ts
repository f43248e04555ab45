import { kernelRow, type BenchRow, type BenchSuite } from '../../bench/types';
import { destroyAll } from '../../gpu/buffers';
import type { MatmulDims, MatmulVariant, TileShape } from '../../kernels/matmul/types';
import { comparePeers } from './compare';
import { shapeLabel } from './params';
import { measureVariant, timingFor, uploadOperands } from './run';

/** The shapes the bench runs: fixed, GPU-minded choices (not tuned for SwiftShader). */
const BENCH_KERNELS: { variant: MatmulVariant; name: string; shape: TileShape }[] = [
  { variant: 'naive', name: 'naive', shape: { tileM: 16, tileN: 16, tileK: 1, blockM: 1, blockN: 1 } },
  { variant: 'tiled', name: 'tiled', shape: { tileM: 16, tileN: 16, tileK: 16, blockM: 1, blockN: 1 } },
  { variant: 'register-blocked', name: 'register-blocked 64', shape: { tileM: 64, tileN: 64, tileK: 16, blockM: 4, blockN: 4 } },
  { variant: 'register-blocked', name: 'register-blocked 128', shape: { tileM: 128, tileN: 128, tileK: 8, blockM: 8, blockN: 8 } },
];

/**
 * Our three matmul kernels and the peer libraries on the same adapter, same operands, same timing
 * protocol; every output is checked against the CPU reference before its time counts.
 */
export const tilingSuite: BenchSuite = {
  lab: 'tiling',
  title: 'Matmul: naive, tiled, register-blocked vs TensorFlow.js and onnxruntime-web',
  async *run(ctx) {
    const sizes = ctx.software ? [256, 512, 1024] : [256, 512, 1024, 2048, 4096];
    const done: BenchRow[] = [];
    const emit = (row: BenchRow) => {
      done.push(row);
      return row;
    };
    for (const n of sizes) {
      const dims: MatmulDims = { M: n, N: n, K: n };
      const timing = timingFor(ctx.runtime, dims);
      const ops = await uploadOperands(ctx.runtime, dims);
      try {
        for (const k of BENCH_KERNELS) {
          ctx.progress(`${n}³ ${k.name}`);
          // Counting costs one more full run; at 256³ every variant's bytes fit the 32-bit counters.
          const r = await measureVariant(ctx.runtime, k.variant, dims, k.shape, ops, timing, { count: n <= 256 });
          if (!(r.relError < 1e-3)) throw new Error(`${k.name} at ${n}³ is wrong: relative error ${r.relError}`);
          yield emit(
            kernelRow(
              { lab: 'tiling', kernel: 'matmul', variant: k.name, impl: 'ours', params: { M: n, N: n, K: n, shape: shapeLabel(k.variant, r.shape) } },
              { ...r, bytesMoved: r.cost.bytesRead + r.cost.bytesWritten, flops: r.cost.flops },
              ctx.adapter,
              {
                relError: r.relError,
                bytesRead: r.cost.bytesRead,
                countedBytesRead: r.counted?.bytesRead ?? null,
              },
            ),
          );
        }
      } finally {
        destroyAll([ops.bufA, ops.bufB]);
      }
      ctx.progress(`${n}³ peers`);
      for (const p of await comparePeers(dims, {
        warmup: timing.warmup,
        samples: timing.samples,
        minSampleMs: timing.minSampleMs,
        maxRepeats: timing.maxRepeats ?? 64,
      })) {
        if (p.medianMs === null || p.gflopPerS === null) {
          ctx.progress(`${p.label} at ${n}³: ${p.error}`);
          continue;
        }
        yield emit({
          lab: 'tiling',
          kernel: 'matmul',
          variant: p.label,
          impl: p.impl,
          params: { M: n, N: n, K: n, version: p.version },
          medianMs: p.medianMs,
          spreadMs: p.spreadMs ?? 0,
          gbPerS: NaN,
          gflopPerS: p.gflopPerS,
          bytesMoved: NaN,
          flops: 2 * n ** 3,
          timing: p.timing ?? 'wallclock',
          adapter: ctx.adapter,
          relError: p.relError,
        } satisfies BenchRow);
      }
      // Ratios per size as soon as they are known: big sizes on a CPU adapter take many minutes.
      for (const line of tilingSuite.summarize!(done.filter((r) => Number(r.params.M) === n))) ctx.progress(line);
    }
  },
  summarize(rows: BenchRow[]) {
    const lines: string[] = [];
    const sizes = [...new Set(rows.map((r) => Number(r.params.M)))];
    for (const n of sizes) {
      const at = rows.filter((r) => Number(r.params.M) === n);
      const ours = at.filter((r) => r.impl === 'ours');
      const peers = at.filter((r) => r.impl !== 'ours');
      const best = ours.reduce<BenchRow | null>((b, r) => (!b || r.gflopPerS > b.gflopPerS ? r : b), null);
      const naive = ours.find((r) => r.variant === 'naive');
      if (!best || !naive) continue;
      const parts = [`${n}³: our best ${best.variant} ${best.gflopPerS.toPrecision(3)} GFLOP/s = ${(best.gflopPerS / naive.gflopPerS).toFixed(2)}x naive`];
      for (const p of peers) parts.push(`${(best.gflopPerS / p.gflopPerS).toFixed(2)}x ${p.variant} (${p.gflopPerS.toPrecision(3)})`);
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
