import { createUniformBuffer } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { f32Bits, makeOp, opCounters, type GpuOp } from '../op';
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
export async function createLayerNormForward(rt: GpuRuntime, d: LayerNormDims, opts: LayerNormOptions = {}): Promise<GpuOp<LayerNormForwardSlots>> {
  checkLayerNorm(d, rt.device.limits, 'forward');
  const pipeline = await rt.pipelines.compute(specialise(layerNormSource('forward', d.cols), opts));
  const counters = await opCounters(rt, 'layernorm/forward', opts);
  const p = params(rt, d, opts.eps ?? LAYERNORM_EPS, 'layernorm-forward-params');
  return makeOp<LayerNormForwardSlots>(rt, {
    label: 'layernorm/forward',
    cost: layerNormForwardCost(d),
    counters,
    owned: [p],
    steps: [{ pipeline, bindings: [p, 'x', 'gamma', 'beta', 'y', 'mean', 'rstd'], workgroups: grid1d(d.rows, rt.device.limits.maxComputeWorkgroupsPerDimension), label: 'layernorm forward' }],
  });
}

/**
 * dx, dgamma, dbeta from dy and the forward's x, mean, rstd: two dispatches (dx by row, then the
 * parameter sums by column). dgamma and dbeta are overwritten, not accumulated.
 */
export async function createLayerNormBackward(rt: GpuRuntime, d: LayerNormDims, opts: PrepareOptions = {}): Promise<GpuOp<LayerNormBackwardSlots>> {
  checkLayerNorm(d, rt.device.limits, 'backward');
  const [dxPipe, paramsPipe] = await Promise.all([
    rt.pipelines.compute(specialise(layerNormSource('backward_dx', d.cols), opts)),
    rt.pipelines.compute(specialise(layerNormSource('backward_params', d.cols), opts)),
  ]);
  const counters = await opCounters(rt, 'layernorm/backward', opts);
  const p = params(rt, d, LAYERNORM_EPS, 'layernorm-backward-params');
  return makeOp<LayerNormBackwardSlots>(rt, {
    label: 'layernorm/backward',
    cost: layerNormBackwardCost(d).total,
    counters,
    owned: [p],
    steps: [
      { pipeline: dxPipe, bindings: [p, 'dy', 'x', 'gamma', 'mean', 'rstd', 'dx'], workgroups: grid1d(d.rows, rt.device.limits.maxComputeWorkgroupsPerDimension), label: 'layernorm backward dx' },
      { pipeline: paramsPipe, bindings: [p, 'dy', 'x', 'mean', 'rstd', 'dgamma', 'dbeta'], workgroups: [Math.ceil(d.cols / LAYERNORM_WG)], label: 'layernorm backward dgamma dbeta' },
    ],
  });
}
