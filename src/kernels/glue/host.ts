import addWgsl from '../../../shaders/glue/add.wgsl?raw';
import headsWgsl from '../../../shaders/glue/heads.wgsl?raw';
import { createUniformBuffer } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { checkBinding, checkWhole } from '../limits';
import { makeOp, opCounters, type GpuOp } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import { addCost, headsCost } from './cost';
import { GLUE_WG, type HeadsDims } from './shape';

export type HeadsSlots = 'src' | 'dst';
export type AddSlots = 'a' | 'b' | 'out';

/** Rows → heads (toHeads) or heads → rows, on caller buffers (src, dst). */
export async function createHeadsOp(
  rt: GpuRuntime,
  d: HeadsDims,
  toHeads: boolean,
  opts: PrepareOptions = {},
): Promise<GpuOp<HeadsSlots>> {
  for (const k of ['batch', 'seq', 'd', 'heads', 'width'] as const) checkWhole('heads', k, d[k]);
  if (d.d % d.heads) throw new RangeError(`heads: d ${d.d} is not a multiple of heads ${d.heads}.`);
  if ((d.part + 1) * d.d > d.width)
    throw new RangeError(`heads: part ${d.part} of width ${d.d} does not fit rows of ${d.width}.`);
  const n = d.batch * d.seq * d.d;
  checkBinding('heads', 'rows', d.batch * d.seq * d.width, rt.device.limits);
  const label = toHeads ? 'glue/to-heads' : 'glue/from-heads';
  const pipeline = await rt.pipelines.compute(
    specialise({ code: headsWgsl, label, constants: { WG: GLUE_WG, TO_HEADS: toHeads } }, opts),
  );
  const p = createUniformBuffer(rt.device, [n, d.seq, d.d, d.heads, d.width, d.part], `${label}-params`);
  return makeOp<HeadsSlots>(rt, {
    label,
    cost: headsCost(d),
    counters: await opCounters(rt, label, opts),
    owned: [p],
    steps: [
      {
        pipeline,
        bindings: [p, 'src', 'dst'],
        workgroups: grid1d(Math.ceil(n / GLUE_WG), rt.device.limits.maxComputeWorkgroupsPerDimension),
        label,
      },
    ],
  });
}

/** out = a + b over n floats, on caller buffers. */
export async function createAddOp(rt: GpuRuntime, n: number, opts: PrepareOptions = {}): Promise<GpuOp<AddSlots>> {
  checkWhole('add', 'n', n);
  checkBinding('add', 'out', n, rt.device.limits);
  const pipeline = await rt.pipelines.compute(
    specialise({ code: addWgsl, label: 'glue/add', constants: { WG: GLUE_WG } }, opts),
  );
  const p = createUniformBuffer(rt.device, [n], 'glue-add-params');
  return makeOp<AddSlots>(rt, {
    label: 'glue/add',
    cost: addCost(n),
    counters: await opCounters(rt, 'glue/add', opts),
    owned: [p],
    steps: [
      {
        pipeline,
        bindings: [p, 'a', 'b', 'out'],
        workgroups: grid1d(Math.ceil(n / GLUE_WG), rt.device.limits.maxComputeWorkgroupsPerDimension),
        label: 'add',
      },
    ],
  });
}
