import { createStorageBuffer, destroyAll, readFloat32 } from '../../gpu/buffers';
import { createCounters } from '../../gpu/counters';
import { bindGroup, grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { specialise } from '../specialise';
import type { PreparedKernel, PrepareOptions } from '../types';
import { copyCost, fmaCost } from './cost';
import { FMA_FILL } from './reference';
import { copySource, fmaSource, WORKGROUP_SIZE } from './source';

/** Prepares the copy kernel over `floats` float32 values (rounded up to whole vec4s). */
export async function prepareCopy(
  rt: GpuRuntime,
  floats: number,
  input?: Float32Array,
  opts: PrepareOptions = {},
): Promise<PreparedKernel> {
  const { device } = rt;
  const vec4s = Math.ceil(floats / 4);
  const made: GPUBuffer[] = [];
  try {
    const src = await createStorageBuffer(device, input ?? vec4s * 16, 'copy-src');
    made.push(src);
    const dst = await createStorageBuffer(device, vec4s * 16, 'copy-dst');
    made.push(dst);
    const counters = await createCounters(device, Boolean(opts.instrumented), 'ceilings/copy counters');
    made.push(counters.buffer);
    const pipeline = await rt.pipelines.compute(specialise(copySource(), opts));
    return {
      steps: [
        {
          pipeline,
          bindGroups: [bindGroup(device, pipeline, [src, dst]), counters.bind(pipeline)],
          workgroups: grid1d(Math.ceil(vec4s / WORKGROUP_SIZE), device.limits.maxComputeWorkgroupsPerDimension),
        },
      ],
      cost: copyCost(vec4s),
      allocatedBytes: 2 * vec4s * 16,
      counters,
      read: () => readFloat32(device, dst, floats),
      dispose: () => destroyAll(made),
    };
  } catch (e) {
    destroyAll(made);
    throw e;
  }
}

/** Prepares the FMA-chain kernel over `floats` values, each running `iterations` chain steps. */
export async function prepareFma(
  rt: GpuRuntime,
  floats: number,
  iterations: number,
  input?: Float32Array,
  opts: PrepareOptions = {},
): Promise<PreparedKernel> {
  const { device } = rt;
  const vec4s = Math.ceil(floats / 4);
  const made: GPUBuffer[] = [];
  try {
    const data = await createStorageBuffer(device, input ?? new Float32Array(vec4s * 4).fill(FMA_FILL), 'fma-data');
    made.push(data);
    const counters = await createCounters(device, Boolean(opts.instrumented), 'ceilings/fma counters');
    made.push(counters.buffer);
    const pipeline = await rt.pipelines.compute(specialise(fmaSource(iterations), opts));
    return {
      steps: [
        {
          pipeline,
          bindGroups: [bindGroup(device, pipeline, [data]), counters.bind(pipeline)],
          workgroups: grid1d(Math.ceil(vec4s / WORKGROUP_SIZE), device.limits.maxComputeWorkgroupsPerDimension),
        },
      ],
      cost: fmaCost(vec4s, iterations),
      allocatedBytes: vec4s * 16,
      counters,
      read: () => readFloat32(device, data, floats),
      dispose: () => destroyAll(made),
    };
  } catch (e) {
    destroyAll(made);
    throw e;
  }
}
