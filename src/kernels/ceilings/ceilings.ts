import type { GpuRuntime } from '../../gpu/runtime';
import type { TimingOptions } from '../../gpu/timing';
import { measureKernel, type KernelMeasurement } from '../measure';
import { prepareCopy, prepareFma } from './host';

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

export async function measureCeilings(rt: GpuRuntime, p: CeilingParams, timing: TimingOptions = {}, onProgress?: (f: number, text: string) => void): Promise<Ceilings> {
  onProgress?.(0, 'copy kernel');
  const copy = await prepareCopy(rt, (p.copyMiB * 2 ** 20) / 4);
  let copyM: KernelMeasurement;
  try {
    copyM = await measureKernel(rt.device, copy, timing);
  } finally {
    copy.dispose();
  }
  onProgress?.(0.5, 'FMA kernel');
  const fma = await prepareFma(rt, p.fmaThreads * 1024 * 4, p.fmaIterations);
  try {
    const fmaM = await measureKernel(rt.device, fma, timing);
    onProgress?.(1, 'done');
    return { copy: copyM, fma: fmaM, params: p };
  } finally {
    fma.dispose();
  }
}
