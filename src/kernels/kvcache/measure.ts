import type { GpuRuntime } from '../../gpu/runtime';
import type { TimingOptions } from '../../gpu/timing';
import type { CheckError } from '../check';
import { measureChecked, measureKernel, type KernelMeasurement } from '../measure';
import type { PreparedKernel } from '../types';
import type { KvLayout } from './cost';
import { prepareDecodeAttention } from './host';
import { decodeAttentionReference, KV_TOLERANCE, type DecodeBatch } from './reference';

export interface DecodeAttentionResult {
  layout: KvLayout;
  m: KernelMeasurement;
  /** Largest |GPU − CPU| (the check's max abs error; its metric is `check.error`). */
  maxError: number;
  check: CheckError;
  /** GPU memory the layout needed for this batch (K/V pool or reserved regions, plus small buffers). */
  allocatedBytes: number;
}

/**
 * Checks both layouts against the CPU reference on the same batch, then times them, interleaved:
 * the first round is measureChecked (check, then time), later rounds only time.
 */
export async function measureDecodeAttention(
  rt: GpuRuntime,
  batch: DecodeBatch,
  timing: TimingOptions = {},
  rounds = 2,
): Promise<DecodeAttentionResult[]> {
  const want = decodeAttentionReference(batch);
  const layouts: KvLayout[] = ['paged', 'contiguous'];
  const prepared: PreparedKernel[] = [];
  try {
    for (const layout of layouts) prepared.push(await prepareDecodeAttention(rt, batch, layout));
    const checks: CheckError[] = [];
    // Rounds alternate layouts, so a warming or throttling device does not favour one of them.
    const ms: KernelMeasurement[][] = [[], []];
    for (let round = 0; round < rounds; round++)
      for (let i = 0; i < prepared.length; i++) {
        if (round === 0) {
          const label = `kvcache/${layouts[i]} decode attention, ${batch.seqLens.length} sequences × ${batch.numHeads} heads`;
          const c = await measureChecked(rt, prepared[i], { label, reference: want, tolerance: KV_TOLERANCE, timing });
          checks.push(c.check);
          ms[i].push(c);
        } else ms[i].push(await measureKernel(rt.device, prepared[i], timing));
      }
    return layouts.map((layout, i) => {
      const best = ms[i].reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
      return {
        layout,
        m: best,
        maxError: checks[i].maxAbs,
        check: checks[i],
        allocatedBytes: prepared[i].allocatedBytes,
      };
    });
  } finally {
    for (const k of prepared) k.dispose();
  }
}
