import { kernelRow, type BenchRow, type BenchSuite } from '../../bench/types';
import { measureCeilings } from '../../kernels/ceilings/ceilings';

/** The device roofs: later suites state their bandwidth as a fraction of this copy kernel's. */
export const suite: BenchSuite = {
  lab: 'device',
  title: 'Device ceilings (copy bandwidth, FMA throughput)',
  async *run(ctx) {
    const p = ctx.software ? { copyMiB: 64, fmaThreads: 256, fmaIterations: 256 } : { copyMiB: 256, fmaThreads: 1024, fmaIterations: 2048 };
    ctx.progress(`copy ${p.copyMiB} MiB, FMA ${p.fmaThreads} K × ${p.fmaIterations}`);
    const c = await measureCeilings(ctx.runtime, p);
    yield kernelRow({ lab: 'device', kernel: 'copy', variant: 'vec4', impl: 'ours', params: { bytes: p.copyMiB * 2 ** 20 } }, c.copy, ctx.adapter);
    yield kernelRow({ lab: 'device', kernel: 'fma', variant: 'chain', impl: 'ours', params: { invocations: p.fmaThreads * 1024, iterations: p.fmaIterations } }, c.fma, ctx.adapter);
  },
  summarize(rows: BenchRow[]) {
    const copy = rows.find((r) => r.kernel === 'copy');
    const fma = rows.find((r) => r.kernel === 'fma');
    if (!copy || !fma) return [];
    return [`ridge point of this device: ${(fma.gflopPerS / copy.gbPerS).toFixed(2)} FLOP/byte (FMA GFLOP/s ÷ copy GB/s)`];
  },
};
