import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import { checkKernel } from './check/harness';
import type { CheckReport } from './check/report';
import { getCode } from './codeStore';
import { findExercise } from './exercises';
import type { meta } from './meta';

/** Checks the code in the editor (or the starter, when none was typed) against the hidden cases. */
export async function runWorkbench(ctx: LabRunContext, p: ParamsOf<typeof meta.schema>): Promise<CheckReport> {
  if (!ctx.runtime) throw new Error('The workbench runs your kernel on the GPU and needs WebGPU.');
  const ex = findExercise(p.exercise);
  const code = getCode(ex.id) ?? ex.starter;
  return checkKernel(ctx.runtime, ex, code, {
    naive: true,
    timing: { samples: 5, maxRepeats: 512, signal: ctx.signal },
    timeLimitMs: 10_000,
    signal: ctx.signal,
    progress: (f, text) => ctx.progress(f, text),
  });
}
