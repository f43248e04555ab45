import { kernelRow, type BenchRow, type BenchSuite } from '../../bench/types';
import { measureCeilings } from '../../kernels/ceilings/ceilings';
import { measureOverhead } from '../../kernels/overhead';

/** The device roofs: later suites state their bandwidth as a fraction of this copy kernel's. */
export const suite: BenchSuite = {
  lab: 'device',
  title: 'Device ceilings (copy bandwidth, FMA throughput)',
  async *run(ctx) {
    const p = ctx.software
      ? { copyMiB: 64, fmaThreads: 256, fmaIterations: 256 }
      : { copyMiB: 256, fmaThreads: 1024, fmaIterations: 2048 };
    ctx.progress(`copy ${p.copyMiB} MiB, FMA ${p.fmaThreads} K × ${p.fmaIterations}`);
    const c = await measureCeilings(ctx.runtime, p);
    yield kernelRow(
      { lab: 'device', kernel: 'copy', variant: 'vec4', impl: 'ours', params: { bytes: p.copyMiB * 2 ** 20 } },
      c.copy,
      ctx.adapter,
    );
    yield kernelRow(
      {
        lab: 'device',
        kernel: 'fma',
        variant: 'chain',
        impl: 'ours',
        params: { invocations: p.fmaThreads * 1024, iterations: p.fmaIterations },
      },
      c.fma,
      ctx.adapter,
    );
    // Overhead regime: K tiny ops launched four ways (wall clock; the CPU side of a launch counts).
    const o = { n: 4096, k: 256, samples: ctx.software ? 5 : 9 };
    ctx.progress(`launch overhead: K = ${o.k} additions of ${o.n} floats, four ways`);
    const ov = await measureOverhead(ctx.runtime, o);
    for (const r of ov.rows) {
      yield {
        lab: 'device',
        kernel: 'overhead',
        variant: r.regime,
        impl: 'ours',
        params: { n: o.n, K: o.k, dispatches: r.dispatches },
        medianMs: r.medianMs,
        spreadMs: r.spreadMs,
        gbPerS: NaN,
        gflopPerS: NaN,
        bytesMoved: r.dispatches * o.n * 8,
        flops: o.k * o.n,
        timing: ov.timing,
        adapter: ctx.adapter,
        perLaunchUs: r.perLaunchUs,
      } satisfies BenchRow;
    }
  },
  summarize(rows: BenchRow[]) {
    const copy = rows.find((r) => r.kernel === 'copy');
    const fma = rows.find((r) => r.kernel === 'fma');
    const lines: string[] = [];
    if (copy && fma)
      lines.push(
        `ridge point of this device: ${(fma.gflopPerS / copy.gbPerS).toFixed(2)} FLOP/byte (FMA GFLOP/s ÷ copy GB/s)`,
      );
    const ov = rows.filter((r) => r.kernel === 'overhead');
    const fused = ov.find((r) => r.variant === 'fused');
    for (const r of ov) {
      if (r === fused || !fused) continue;
      lines.push(
        `overhead, K = ${r.params.K}: ${r.variant} ${r.medianMs.toFixed(3)} ms vs fused ${fused.medianMs.toFixed(3)} ms = ${(r.medianMs / fused.medianMs).toFixed(1)}x; ${(r.perLaunchUs as number).toFixed(1)} µs per extra launch (wall clock)`,
      );
    }
    return lines;
  },
};
