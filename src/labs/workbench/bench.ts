import type { BenchRow, BenchSuite } from '../../bench/types';
import { checkKernel } from './check/harness';
import { EXERCISES } from './exercises';

/**
 * Each exercise's starter and reference solution on one larger size, through the same checker
 * the lab uses: correctness, counted global-memory bytes, and time (loop guards on, counting off).
 */
export const suite: BenchSuite = {
  lab: 'workbench',
  title: 'Kernel workbench: starter vs reference solution per exercise',
  async *run(ctx) {
    for (const ex of EXERCISES) {
      const size = ctx.software ? ex.bench.software : ex.bench.hardware;
      for (const [variant, code] of [
        ['starter', ex.starter],
        ['solution', ex.solution],
      ] as const) {
        ctx.progress(`${ex.id} ${variant} ${Object.values(size).join('×')}`);
        const r = await checkKernel(ctx.runtime, ex, code, {
          sizes: [size],
          timing: { samples: 7 },
          timeLimitMs: 120_000,
        });
        const c = r.cases[0];
        if (r.status !== 'pass' || !c || !r.timing) throw new Error(`${ex.id} ${variant}: ${r.message}`);
        const bytes = c.bytesRead + c.bytesWritten;
        yield {
          lab: 'workbench',
          kernel: ex.id,
          variant,
          impl: 'ours',
          params: size,
          medianMs: r.timing.medianMs,
          spreadMs: r.timing.spreadMs,
          gbPerS: bytes / (r.timing.medianMs * 1e6),
          gflopPerS: 0,
          bytesMoved: bytes,
          flops: 0,
          timing: r.timing.source as BenchRow['timing'],
          adapter: ctx.adapter,
          targetBytes: c.targetRead + c.targetWritten,
          maxAbsError: c.maxAbsError,
        };
      }
    }
  },
  summarize(rows) {
    const out: string[] = [];
    for (const ex of EXERCISES) {
      const s = rows.find((r) => r.kernel === ex.id && r.variant === 'starter');
      const f = rows.find((r) => r.kernel === ex.id && r.variant === 'solution');
      if (!s || !f) continue;
      out.push(
        `${ex.id}: the solution moves ${(s.bytesMoved / f.bytesMoved).toFixed(2)}× fewer bytes than the starter (${f.bytesMoved === f.targetBytes ? 'at' : 'not at'} the target); time starter ÷ solution = ${(s.medianMs / f.medianMs).toFixed(2)}×`,
      );
    }
    return out;
  },
};
