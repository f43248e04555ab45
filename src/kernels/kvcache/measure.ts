import { runSteps } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import type { TimingOptions } from '../../gpu/timing';
import { maxAbsError, measureKernel, type KernelMeasurement } from '../measure';
import type { PreparedKernel } from '../types';
import type { KvLayout } from './cost';
import { prepareDecodeAttention } from './host';
import { decodeAttentionReference, type DecodeBatch } from './reference';

export interface DecodeAttentionResult {
  layout: KvLayout;
  m: KernelMeasurement;
  /** Largest difference from the CPU reference. */
  maxError: number;
  /** GPU memory the layout needed for this batch (K/V pool or reserved regions, plus small buffers). */
  allocatedBytes: number;
}

/** Checks both layouts against the CPU reference on the same batch, then times them, interleaved. */
export async function measureDecodeAttention(rt: GpuRuntime, batch: DecodeBatch, timing: TimingOptions = {}, rounds = 2): Promise<DecodeAttentionResult[]> {
  const want = decodeAttentionReference(batch);
  const layouts: KvLayout[] = ['paged', 'contiguous'];
  const prepared: PreparedKernel[] = [];
  try {
    for (const layout of layouts) prepared.push(await prepareDecodeAttention(rt, batch, layout));
    const errors: number[] = [];
    for (const k of prepared) {
      await runSteps(rt.device, k.steps, 'kv check');
      errors.push(maxAbsError(await k.read(), want).error);
    }
    // Two rounds, alternating, keep a warming or throttling device from favouring one layout.
    const ms: KernelMeasurement[][] = [[], []];
    for (let round = 0; round < rounds; round++) for (let i = 0; i < prepared.length; i++) ms[i].push(await measureKernel(rt.device, prepared[i], timing));
    return layouts.map((layout, i) => {
      const best = ms[i].reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
      return { layout, m: best, maxError: errors[i], allocatedBytes: prepared[i].allocatedBytes };
    });
  } finally {
    for (const k of prepared) k.dispose();
  }
}
