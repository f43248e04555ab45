import { measureCeilings, type Ceilings } from '../../kernels/ceilings/ceilings';
import type { LabRunContext } from '../types';
import type { ParamValues } from '../schema';

/** The device lab's run: full-size copy and FMA measurements with the user's parameters. */
export async function runDeviceLab(ctx: LabRunContext, p: ParamValues): Promise<Ceilings> {
  if (!ctx.runtime) throw new Error('The device lab needs WebGPU.');
  return measureCeilings(
    ctx.runtime,
    { copyMiB: Number(p.copyMiB), fmaThreads: Number(p.fmaThreads), fmaIterations: Number(p.fmaIterations) },
    { samples: Number(p.samples), signal: ctx.signal },
    (f, text) => ctx.progress(f, text),
  );
}
