import type { GpuRuntime } from '../../gpu/runtime';
import type { TimingOptions } from '../../gpu/timing';
import { compareOutputs } from '../check';
import { measureChecked, type KernelMeasurement } from '../measure';
import { prepareCopy, prepareFma } from './host';
import { COPY_TOLERANCE, copyPattern, FMA_FILL, FMA_TOLERANCE, fmaReference } from './reference';

export interface CeilingParams {
  copyMiB: number;
  /** FMA invocations, in thousands. */
  fmaThreads: number;
  fmaIterations: number;
}

export interface Ceilings {
  copy: KernelMeasurement;
  fma: KernelMeasurement;
  params: CeilingParams;
}

/** A quick probe for the header badge: sized to finish in well under a second even on SwiftShader. */
export const QUICK_CEILINGS: CeilingParams = { copyMiB: 16, fmaThreads: 256, fmaIterations: 128 };

export async function measureCeilings(
  rt: GpuRuntime,
  p: CeilingParams,
  timing: TimingOptions = {},
  onProgress?: (f: number, text: string) => void,
): Promise<Ceilings> {
  onProgress?.(0, 'copy kernel');
  const floats = (p.copyMiB * 2 ** 20) / 4;
  const input = copyPattern(floats);
  const copy = await prepareCopy(rt, floats, input);
  let copyM: KernelMeasurement;
  try {
    copyM = await measureChecked(rt, copy, {
      label: `ceilings/copy ${p.copyMiB} MiB`,
      reference: input.subarray(0, floats),
      tolerance: COPY_TOLERANCE,
      timing,
    });
  } finally {
    copy.dispose();
  }
  onProgress?.(0.5, 'FMA kernel');
  const fma = await prepareFma(rt, p.fmaThreads * 1024 * 4, p.fmaIterations);
  try {
    // Every chain starts from the same value, so one float32 CPU chain is the reference of all;
    // comparing all outputs still catches a chain that ran short or was not written.
    const one = fmaReference(new Float32Array([FMA_FILL]), p.fmaIterations)[0];
    const fmaM = await measureChecked(rt, fma, {
      label: `ceilings/fma ${p.fmaThreads} K × ${p.fmaIterations}`,
      tolerance: FMA_TOLERANCE,
      timing,
      compare: async () => {
        const got = await fma.read();
        return compareOutputs(got, new Float32Array(got.length).fill(one));
      },
    });
    onProgress?.(1, 'done');
    return { copy: copyM, fma: fmaM, params: p };
  } finally {
    fma.dispose();
  }
}
