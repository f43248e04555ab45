import { measureCeilings, type Ceilings } from '../../kernels/ceilings/ceilings';
import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import type { meta } from './meta';

/** The device lab's run: full-size copy and FMA measurements (each checked, then timed) with the user's parameters. */
export async function runDeviceLab(ctx: LabRunContext, p: ParamsOf<typeof meta.schema>): Promise<Ceilings> {
  if (!ctx.runtime) throw new Error('The device lab needs WebGPU.');
  const { copyMiB, fmaThreads, fmaIterations, samples } = p;
  return measureCeilings(
    ctx.runtime,
    { copyMiB, fmaThreads, fmaIterations },
    { samples, signal: ctx.signal },
    (f, text) => ctx.progress(f, text),
  );
}
