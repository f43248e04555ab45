import { createUniformBuffer } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { makeOp, opCounters, type GpuOp } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import { headsCost } from './cost';
import { checkHeads, HEADS_WG, type HeadLayout } from './limits';
import { headsSource } from './source';

export type HeadsSlots = 'rows' | 'heads';

/**
 * `to: 'heads'` copies rows → heads ([B, T, stride] → [B·H, T, d]); `to: 'rows'` copies heads → rows,
 * leaving the rows' other columns as they are. One dispatch.
 */
export async function createHeadPermute(
  rt: GpuRuntime,
  l: HeadLayout,
  to: 'heads' | 'rows',
  opts: PrepareOptions = {},
): Promise<GpuOp<HeadsSlots>> {
  checkHeads(l, rt.device.limits);
  const toHeads = to === 'heads';
  const pipeline = await rt.pipelines.compute(specialise(headsSource(toHeads), opts));
  const p = createUniformBuffer(rt.device, [l.batch, l.seq, l.heads, l.headDim, l.stride, l.offset], 'heads-params');
  const n = l.batch * l.seq * l.heads * l.headDim;
  return makeOp<HeadsSlots>(rt, {
    label: `heads/${toHeads ? 'to_heads' : 'from_heads'}`,
    cost: headsCost(l),
    counters: await opCounters(rt, 'heads', opts),
    owned: [p],
    steps: [
      {
        pipeline,
        bindings: toHeads ? [p, 'rows', 'heads'] : [p, 'heads', 'rows'],
        workgroups: grid1d(Math.ceil(n / HEADS_WG), rt.device.limits.maxComputeWorkgroupsPerDimension),
        label: toHeads ? 'rows to heads' : 'heads to rows',
      },
    ],
  });
}
