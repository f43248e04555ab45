import { createStorageBuffer, createUniformBuffer, destroyAll } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { columnSumSteps } from '../linear/host';
import { f32Bits, makeOp, opCounters, type GpuOp, type OpStep } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import { layerNormBackwardCost, layerNormForwardCost } from './cost';
import { checkLayerNorm, LAYERNORM_WG, type LayerNormDims } from './limits';
import { LAYERNORM_EPS } from './reference';
import { layerNormSource } from './source';

export type LayerNormForwardSlots = 'x' | 'gamma' | 'beta' | 'y' | 'mean' | 'rstd';
export type LayerNormBackwardSlots = 'dy' | 'x' | 'gamma' | 'mean' | 'rstd' | 'dx' | 'dgamma' | 'dbeta';

export interface LayerNormOptions extends PrepareOptions {
  eps?: number;
}

function params(rt: Pick<GpuRuntime, 'device'>, d: LayerNormDims, eps: number, label: string): GPUBuffer {
  return createUniformBuffer(rt.device, [d.rows, d.cols, f32Bits(eps), 0], label);
}

/** y, mean, rstd = LayerNorm(x; gamma, beta): one dispatch, one workgroup per row. */
export async function createLayerNormForward(
  rt: GpuRuntime,
  d: LayerNormDims,
  opts: LayerNormOptions = {},
): Promise<GpuOp<LayerNormForwardSlots>> {
  checkLayerNorm(d, rt.device.limits, 'forward');
  const pipeline = await rt.pipelines.compute(specialise(layerNormSource('forward', d.cols), opts));
  const counters = await opCounters(rt, 'layernorm/forward', opts);
  const p = params(rt, d, opts.eps ?? LAYERNORM_EPS, 'layernorm-forward-params');
  return makeOp<LayerNormForwardSlots>(rt, {
    label: 'layernorm/forward',
    cost: layerNormForwardCost(d),
    counters,
    owned: [p],
    steps: [
      {
        pipeline,
        bindings: [p, 'x', 'gamma', 'beta', 'y', 'mean', 'rstd'],
        workgroups: grid1d(d.rows, rt.device.limits.maxComputeWorkgroupsPerDimension),
        label: 'layernorm forward',
      },
    ],
  });
}

/**
 * dx, dgamma, dbeta from dy and the forward's x, mean, rstd: dx by row, then the parameter sums
 * by (row chunk, column) and, past 64 rows, a fixed-order sum of the chunks' partials. dgamma and dbeta are overwritten; dx too, unless `accumulate`
 * (dx += …: the residual stream's gradient of a pre-LN block).
 */
export async function createLayerNormBackward(
  rt: GpuRuntime,
  d: LayerNormDims,
  opts: PrepareOptions & { accumulate?: boolean } = {},
): Promise<GpuOp<LayerNormBackwardSlots>> {
  checkLayerNorm(d, rt.device.limits, 'backward');
  const accumulate = Boolean(opts.accumulate);
  const [dxPipe, paramsPipe] = await Promise.all([
    rt.pipelines.compute(specialise(layerNormSource('backward_dx', d.cols, accumulate), opts)),
    rt.pipelines.compute(specialise(layerNormSource('backward_params', d.cols), opts)),
  ]);
  const owned: GPUBuffer[] = [];
  try {
    const p = params(rt, d, LAYERNORM_EPS, 'layernorm-backward-params');
    owned.push(p);
    const chunks = Math.ceil(d.rows / LAYERNORM_WG);
    const groups = Math.ceil(d.cols / LAYERNORM_WG);
    const steps: OpStep<LayerNormBackwardSlots>[] = [
      {
        pipeline: dxPipe,
        bindings: [p, 'dy', 'x', 'gamma', 'mean', 'rstd', 'dx'],
        workgroups: grid1d(d.rows, rt.device.limits.maxComputeWorkgroupsPerDimension),
        label: 'layernorm backward dx',
      },
    ];
    if (chunks === 1) {
      steps.push({
        pipeline: paramsPipe,
        bindings: [p, 'dy', 'x', 'mean', 'rstd', 'dgamma', 'dbeta'],
        workgroups: [groups],
        label: 'layernorm backward dgamma dbeta',
      });
    } else {
      // Partial sums per chunk of rows, then a fixed-order column sum of each: rows·cols of work
      // spread over chunks × column groups instead of one walk down every column.
      const dgP = await createStorageBuffer(rt.device, chunks * d.cols * 4, 'layernorm-dgamma-partials');
      owned.push(dgP);
      const dbP = await createStorageBuffer(rt.device, chunks * d.cols * 4, 'layernorm-dbeta-partials');
      owned.push(dbP);
      steps.push({
        pipeline: paramsPipe,
        bindings: [p, 'dy', 'x', 'mean', 'rstd', dgP, dbP],
        workgroups: [groups, chunks],
        label: 'layernorm backward dgamma dbeta (chunks)',
      });
      steps.push(
        ...(await columnSumSteps<LayerNormBackwardSlots>(
          rt,
          chunks,
          d.cols,
          dgP,
          'dgamma',
          opts,
          owned,
          'layernorm dgamma',
        )),
      );
      steps.push(
        ...(await columnSumSteps<LayerNormBackwardSlots>(
          rt,
          chunks,
          d.cols,
          dbP,
          'dbeta',
          opts,
          owned,
          'layernorm dbeta',
        )),
      );
    }
    return makeOp<LayerNormBackwardSlots>(rt, {
      label: 'layernorm/backward',
      cost: layerNormBackwardCost(d, accumulate).total,
      counters: await opCounters(rt, 'layernorm/backward', opts),
      owned,
      steps,
    });
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}
