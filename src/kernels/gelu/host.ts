import { createStorageBuffer, createUniformBuffer } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { makeOp, opCounters, type GpuOp } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import { geluBackwardCost, geluForwardCost } from './cost';
import { checkGelu, GELU_WG, type GeluDims } from './limits';
import { geluSource } from './source';

export type GeluForwardSlots = 'z' | 'bias' | 'y';
export type GeluBackwardSlots = 'z' | 'bias' | 'dy' | 'dz';

async function geluOp<B extends 'z' | 'bias' | 'y' | 'dy' | 'dz'>(
  rt: GpuRuntime,
  kernel: 'forward' | 'backward',
  d: GeluDims,
  bias: boolean,
  slots: B[],
  opts: PrepareOptions,
): Promise<GpuOp<Exclude<B, 'bias'>> | GpuOp<B>> {
  checkGelu(d, rt.device.limits);
  const pipeline = await rt.pipelines.compute(specialise(geluSource(kernel, bias), opts));
  const p = createUniformBuffer(rt.device, [d.rows * d.cols, d.cols], `gelu-${kernel}-params`);
  const owned = [p];
  // Without a bias the binding still exists (static use does not depend on HAS_BIAS): it gets a
  // 4-byte buffer the kernel never reads.
  const unusedBias = bias ? null : await createStorageBuffer(rt.device, 4, 'gelu-no-bias');
  if (unusedBias) owned.push(unusedBias);
  const bindings = [p, ...slots.map((s) => (s === 'bias' && unusedBias ? unusedBias : s))] as (B | GPUBuffer)[];
  return makeOp<B>(rt, {
    label: `gelu/${kernel}`,
    cost: kernel === 'forward' ? geluForwardCost(d, bias) : geluBackwardCost(d, bias),
    counters: await opCounters(rt, `gelu/${kernel}`, opts),
    owned,
    steps: [
      {
        pipeline,
        bindings,
        workgroups: grid1d(Math.ceil((d.rows * d.cols) / GELU_WG), rt.device.limits.maxComputeWorkgroupsPerDimension),
        label: `gelu ${kernel}`,
      },
    ],
  });
}

/** y = gelu(z + bias[col]) (bias: true) or gelu(z). */
export function createGeluForward(
  rt: GpuRuntime,
  d: GeluDims,
  opts: PrepareOptions & { bias: true },
): Promise<GpuOp<GeluForwardSlots>>;
export function createGeluForward(
  rt: GpuRuntime,
  d: GeluDims,
  opts?: PrepareOptions & { bias?: false },
): Promise<GpuOp<Exclude<GeluForwardSlots, 'bias'>>>;
export function createGeluForward(
  rt: GpuRuntime,
  d: GeluDims,
  opts: PrepareOptions & { bias?: boolean } = {},
): Promise<GpuOp<GeluForwardSlots>> {
  return geluOp<GeluForwardSlots>(rt, 'forward', d, Boolean(opts.bias), ['z', 'bias', 'y'], opts) as Promise<
    GpuOp<GeluForwardSlots>
  >;
}

/** dz = dy · gelu'(z + bias[col]) (bias: true) or dy · gelu'(z). */
export function createGeluBackward(
  rt: GpuRuntime,
  d: GeluDims,
  opts: PrepareOptions & { bias: true },
): Promise<GpuOp<GeluBackwardSlots>>;
export function createGeluBackward(
  rt: GpuRuntime,
  d: GeluDims,
  opts?: PrepareOptions & { bias?: false },
): Promise<GpuOp<Exclude<GeluBackwardSlots, 'bias'>>>;
export function createGeluBackward(
  rt: GpuRuntime,
  d: GeluDims,
  opts: PrepareOptions & { bias?: boolean } = {},
): Promise<GpuOp<GeluBackwardSlots>> {
  return geluOp<GeluBackwardSlots>(rt, 'backward', d, Boolean(opts.bias), ['z', 'bias', 'dy', 'dz'], opts) as Promise<
    GpuOp<GeluBackwardSlots>
  >;
}
