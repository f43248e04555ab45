import { createStorageBuffer, createUniformBuffer, destroyAll, readFloat32 } from '../../gpu/buffers';
import { createCounters } from '../../gpu/counters';
import { bindGroup } from '../../gpu/dispatch';
import { LimitError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import { specialise } from '../specialise';
import type { PreparedKernel, PrepareOptions } from '../types';
import { matmulCost } from './cost';
import { matmulFeatureBuild, packF16, type MatmulBuild } from './features';
import { matmulSource } from './source';
import type { TracePoint } from './traceModel';
import { effectiveShape, isVec4, type MatmulDims, type MatmulVariant, type TileShape } from './types';
import { splitKShapeProblem } from './splitk';
import { checkShape } from './workgroup';

/** Operands as data to upload, or GPU buffers the caller owns (they are bound, never destroyed). */
export interface MatmulInputs {
  a?: Float32Array | GPUBuffer;
  b?: Float32Array | GPUBuffer;
  /** Where C goes; allocated (and freed on dispose) when absent. */
  c?: GPUBuffer;
}

export interface MatmulOptions extends PrepareOptions {
  inputs?: MatmulInputs;
  /**
   * Build the trace variant for this workgroup and K step (src/kernels/matmul/trace.ts binds its
   * buffer at group 2); not for timing.
   */
  trace?: TracePoint;
  /**
   * A feature build (./features.ts), refused with LimitError before compiling where the device
   * lacks its feature. The f16 build takes A and B as float32 data (rounded to f16 on upload) or as
   * buffers of packed f16.
   */
  build?: MatmulBuild;
}

export interface PreparedMatmul extends PreparedKernel {
  variant: MatmulVariant;
  dims: MatmulDims;
  /** The shape actually compiled (naive and tiled ignore some fields). */
  shape: TileShape;
  buffers: { a: GPUBuffer; b: GPUBuffer; c: GPUBuffer };
}

function padded(data: Float32Array, floats: number): Float32Array {
  const out = new Float32Array(floats);
  out.set(data);
  return out;
}

function checkDims(dims: MatmulDims, maxBinding: number): void {
  for (const k of ['M', 'N', 'K'] as const) {
    const v = dims[k];
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`matmul: ${k} must be a whole number of at least 1 (got ${v}).`);
  }
  const largest = Math.max(dims.M * dims.K, dims.K * dims.N, dims.M * dims.N) * 4;
  if (largest > maxBinding)
    throw new LimitError(
      `matmul ${dims.M}×${dims.K}·${dims.K}×${dims.N}: a ${largest}-byte operand exceeds this device's largest storage binding (${maxBinding} bytes).`,
    );
}

/**
 * Allocates (or binds) A, B and C, compiles the variant for the tile shape and returns it ready to
 * dispatch. Limits are checked before compiling: a tile that needs more workgroup memory or more
 * invocations than the device has throws LimitError without touching the driver.
 */
export async function prepareMatmul(
  rt: GpuRuntime,
  variant: MatmulVariant,
  dims: MatmulDims,
  shape: TileShape,
  opts: MatmulOptions = {},
): Promise<PreparedMatmul> {
  const { device } = rt;
  const limits = rt.info.limits;
  checkDims(dims, Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize));
  const fb = opts.build && opts.build !== 'standard' ? matmulFeatureBuild(opts.build) : null;
  if (fb) {
    if (variant !== fb.variant) throw new RangeError(`matmul: the ${fb.build} build exists only for ${fb.variant}.`);
    if (!rt.info.features.includes(fb.feature)) throw new LimitError(`${fb.label}: ${fb.notOffered}.`);
  }
  // The split-K build reads its shape its own way (./splitk.ts); every other build as its variant.
  if (fb?.build === 'subgroup') {
    const problem = splitKShapeProblem(shape, limits);
    if (problem) throw new LimitError(`split-K subgroup matmul: ${problem}.`);
    if (dims.transposeA || dims.accumulate)
      throw new RangeError('matmul: the split-K subgroup build has no transposed A or accumulation.');
  } else checkShape(variant, shape, limits);
  const operandBytes = fb?.operandBytes ?? 4;
  const s = fb?.build === 'subgroup' ? shape : effectiveShape(variant, shape);
  const byN: [number, number] = [Math.ceil(dims.N / s.tileN), Math.ceil(dims.M / s.tileM)];
  // The column-major naive kernel's x runs along M.
  const workgroups: [number, number] = variant === 'naive-colmajor' ? [byN[1], byN[0]] : byN;
  const maxGroups = limits.maxComputeWorkgroupsPerDimension;
  if (workgroups[0] > maxGroups || workgroups[1] > maxGroups) {
    throw new LimitError(
      `${variant} matmul: ${workgroups[0]}×${workgroups[1]} workgroups exceed this device's ${maxGroups} per dimension; use a larger tile.`,
    );
  }

  const inputs = opts.inputs ?? {};
  const owned: GPUBuffer[] = [];
  // A vec4 binding sees only whole vec4s, so the last partial one of a ragged matrix needs padding.
  const bytesFor = (floats: number, elementBytes = 4) =>
    isVec4(variant) ? Math.ceil(floats / 4) * 4 * elementBytes : floats * elementBytes;
  const own = async (
    given: Float32Array | GPUBuffer | undefined,
    floats: number,
    label: string,
    elementBytes = 4,
  ): Promise<GPUBuffer> => {
    if (given && !(given instanceof Float32Array)) {
      if (given.size < bytesFor(floats, elementBytes))
        throw new RangeError(
          `matmul ${variant}: buffer ${label} has ${given.size} bytes, needs ${bytesFor(floats, elementBytes)} (its ${floats} values padded to whole vec4s).`,
        );
      return given;
    }
    if (given && given.length !== floats)
      throw new RangeError(`matmul: ${label} has ${given.length} values, expected ${floats}.`);
    let data: Float32Array | Uint32Array | undefined = given;
    if (given && elementBytes === 2) data = packF16(given);
    else if (given && bytesFor(floats) > floats * 4) data = padded(given, bytesFor(floats) / 4);
    const buf = await createStorageBuffer(device, data ?? bytesFor(floats, elementBytes), `matmul-${label}`);
    owned.push(buf);
    return buf;
  };
  try {
    const a = await own(inputs.a, dims.M * dims.K, 'a', operandBytes);
    const b = await own(inputs.b, dims.K * dims.N, 'b', operandBytes);
    const c = await own(inputs.c, dims.M * dims.N, 'c');
    const uniforms = createUniformBuffer(device, [dims.M, dims.N, dims.K, 0], 'matmul-dims');
    owned.push(uniforms);
    const counters = await createCounters(device, Boolean(opts.instrumented), `matmul/${variant} counters`);
    owned.push(counters.buffer);
    const pipeline = await rt.pipelines.compute(
      specialise(
        matmulSource(variant, s, {
          transposeB: dims.transposeB,
          transposeA: dims.transposeA,
          accumulate: dims.accumulate,
          trace: opts.trace,
          build: opts.build,
        }),
        opts,
      ),
    );
    const bindGroups = [bindGroup(device, pipeline, [a, b, c, uniforms], 0), counters.bind(pipeline)];
    const allocatedBytes = owned.reduce((sum, buf) => sum + buf.size, 0);
    return {
      variant,
      dims,
      shape: s,
      buffers: { a, b, c },
      steps: [{ pipeline, bindGroups, workgroups, label: `matmul/${variant}` }],
      cost: matmulCost(variant, dims, s, operandBytes),
      allocatedBytes,
      counters,
      read: () => readFloat32(device, c, dims.M * dims.N),
      dispose: () => destroyAll(owned),
    };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}
