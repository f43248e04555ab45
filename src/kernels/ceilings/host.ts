import copyWgsl from '../../../shaders/ceilings/copy.wgsl?raw';
import fmaWgsl from '../../../shaders/ceilings/fma.wgsl?raw';
import { createStorageBuffer, destroyAll, readFloat32 } from '../../gpu/buffers';
import { bindGroup, grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import type { PreparedKernel } from '../types';
import { copyCost, fmaCost } from './cost';

const WORKGROUP_SIZE = 256;

/** Prepares the copy kernel over `floats` float32 values (rounded up to whole vec4s). */
export async function prepareCopy(rt: GpuRuntime, floats: number, input?: Float32Array): Promise<PreparedKernel> {
  const { device } = rt;
  const vec4s = Math.ceil(floats / 4);
  const src = await createStorageBuffer(device, input ?? vec4s * 16, 'copy-src');
  let dst: GPUBuffer | undefined;
  try {
    dst = await createStorageBuffer(device, vec4s * 16, 'copy-dst');
    const pipeline = await rt.pipelines.compute({ code: copyWgsl, label: 'ceilings/copy', constants: { WORKGROUP_SIZE } });
    const out = dst;
    return {
      steps: [{ pipeline, bindGroups: [bindGroup(device, pipeline, [src, out])], workgroups: grid1d(Math.ceil(vec4s / WORKGROUP_SIZE), device.limits.maxComputeWorkgroupsPerDimension) }],
      cost: copyCost(vec4s),
      allocatedBytes: 2 * vec4s * 16,
      read: () => readFloat32(device, out, floats),
      dispose: () => destroyAll([src, out]),
    };
  } catch (e) {
    destroyAll([src, dst]);
    throw e;
  }
}

/** Prepares the FMA-chain kernel over `floats` values, each running `iterations` chain steps. */
export async function prepareFma(rt: GpuRuntime, floats: number, iterations: number, input?: Float32Array): Promise<PreparedKernel> {
  const { device } = rt;
  const vec4s = Math.ceil(floats / 4);
  const data = await createStorageBuffer(device, input ?? new Float32Array(vec4s * 4).fill(0.25), 'fma-data');
  try {
    const pipeline = await rt.pipelines.compute({ code: fmaWgsl, label: 'ceilings/fma', constants: { WORKGROUP_SIZE, ITERATIONS: iterations } });
    return {
      steps: [{ pipeline, bindGroups: [bindGroup(device, pipeline, [data])], workgroups: grid1d(Math.ceil(vec4s / WORKGROUP_SIZE), device.limits.maxComputeWorkgroupsPerDimension) }],
      cost: fmaCost(vec4s, iterations),
      allocatedBytes: vec4s * 16,
      read: () => readFloat32(device, data, floats),
      dispose: () => data.destroy(),
    };
  } catch (e) {
    data.destroy();
    throw e;
  }
}
