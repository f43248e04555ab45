import { createStorageBuffer, createUniformBuffer, destroyAll } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { makeOp, opCounters, type GpuOp, type OpStep } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import { adamwCost } from './cost';
import { ADAMW_WG, checkAdamW, normGroups, type AdamWSegment } from './limits';
import type { AdamWHyper } from './reference';
import { adamwSource } from './source';

export type AdamWSlots = 'params' | 'grads' | 'm' | 'v' | 'stats';

export interface AdamWOp extends GpuOp<AdamWSlots> {
  /** Writes this step's hyperparameters (lr from the schedule, step t for the bias corrections); call before encoding each step. */
  setHyper(hp: AdamWHyper): void;
}

/** The hyperparameter uniform's words; bias corrections in float64, then rounded once. */
export function hyperWords(hp: AdamWHyper): Float32Array<ArrayBuffer> {
  if (!(hp.step >= 1)) throw new RangeError(`adamw: step must be 1 or more (got ${hp.step})`);
  // Nine floats; the uniform is 48 bytes (a multiple of 16).
  const w = new Float32Array(12);
  w.set([
    hp.lr,
    hp.beta1,
    hp.beta2,
    hp.eps,
    hp.weightDecay,
    1 - hp.beta1 ** hp.step,
    1 - hp.beta2 ** hp.step,
    hp.maxNorm,
    hp.gradScale ?? 1,
  ]);
  return w;
}

/**
 * One AdamW step with global-norm clipping over a flat parameter buffer of n floats: the norm in
 * two deterministic stages (stats = [norm, clip, skipped], a caller buffer of 3 floats), then one
 * update dispatch per segment. params, m and v are updated in place, unless the norm is not finite
 * (a loss-scaled gradient overflowed): then nothing is written and stats[2] = 1.
 */
export async function createAdamW(
  rt: GpuRuntime,
  n: number,
  opts: PrepareOptions & { segments?: AdamWSegment[] } = {},
): Promise<AdamWOp> {
  const segments = opts.segments ?? [{ offset: 0, length: n, decay: true }];
  checkAdamW(n, segments, rt.device.limits);
  const [partialPipe, finalPipe, updatePipe] = await Promise.all([
    rt.pipelines.compute(specialise(adamwSource('norm_partial'), opts)),
    rt.pipelines.compute(specialise(adamwSource('norm_final'), opts)),
    rt.pipelines.compute(specialise(adamwSource('update'), opts)),
  ]);
  const owned: GPUBuffer[] = [];
  try {
    const groups = normGroups(n);
    const p = createUniformBuffer(rt.device, [n, groups], 'adamw-params');
    owned.push(p);
    const hyper = rt.device.createBuffer({
      label: 'adamw-hyper',
      size: 48,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    owned.push(hyper);
    const partial = await createStorageBuffer(rt.device, groups * 4, 'adamw-norm-partials');
    owned.push(partial);
    const maxDim = rt.device.limits.maxComputeWorkgroupsPerDimension;
    const steps: OpStep<AdamWSlots>[] = [
      {
        pipeline: partialPipe,
        bindings: [p, 'grads', partial],
        workgroups: [groups],
        label: 'adamw grad norm (partials)',
      },
      {
        pipeline: finalPipe,
        bindings: [p, hyper, partial, 'stats'],
        workgroups: [1],
        label: 'adamw grad norm (final, clip)',
      },
    ];
    for (const s of segments) {
      const seg = createUniformBuffer(rt.device, [s.offset, s.length, s.decay ? 1 : 0, 0], 'adamw-segment');
      owned.push(seg);
      steps.push({
        pipeline: updatePipe,
        bindings: [seg, hyper, 'params', 'grads', 'm', 'v', 'stats'],
        workgroups: grid1d(Math.ceil(s.length / ADAMW_WG), maxDim),
        label: `adamw update ${s.offset}..${s.offset + s.length}${s.decay ? '' : ' (no decay)'}`,
      });
    }
    const op = makeOp<AdamWSlots>(rt, {
      label: 'adamw',
      cost: adamwCost(n, segments).total,
      counters: await opCounters(rt, 'adamw', opts),
      owned,
      steps,
    });
    return { ...op, setHyper: (hp) => rt.device.queue.writeBuffer(hyper, 0, hyperWords(hp)) };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}
