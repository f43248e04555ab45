import { createStorageBuffer, createUniformBuffer, destroyAll, readFloat32 } from '../../gpu/buffers';
import { createCounters } from '../../gpu/counters';
import { bindGroup } from '../../gpu/dispatch';
import { LimitError } from '../../gpu/errors';
import type { KeyLimits } from '../../gpu/device';
import type { GpuRuntime } from '../../gpu/runtime';
import type { PrepareOptions, PreparedKernel } from '../types';
import { gemvCost, type GemvCost } from './cost';
import { featureBuild, type GemvBuild } from './features';
import { gemvSource } from './source';
import {
  defaultShape,
  shapeProblem,
  VARIANT_LABELS,
  type GemvShape,
  type PackedWeights,
  type QuantDims,
  type QuantVariant,
} from './types';

/** Packed weights resident on the GPU, shared by every M the lab runs against them. */
export interface WeightBuffers {
  packed: PackedWeights;
  w: GPUBuffer;
  scales: GPUBuffer | null;
  zeros: GPUBuffer | null;
  /** Bytes uploaded (padded to 4). */
  bytes: number;
  dispose(): void;
}

function bindingLimit(limits: KeyLimits): number {
  return Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export async function uploadWeights(rt: GpuRuntime, packed: PackedWeights): Promise<WeightBuffers> {
  const limit = bindingLimit(rt.info.limits);
  if (packed.words.byteLength > limit)
    throw new LimitError(
      `${VARIANT_LABELS[packed.variant]} weights ${packed.N}×${packed.K} take ${mib(packed.words.byteLength)}, more than this device's largest storage binding (${mib(limit)}).`,
    );
  const owned: GPUBuffer[] = [];
  try {
    const w = await createStorageBuffer(rt.device, packed.words, `quant-${packed.variant}-w`);
    owned.push(w);
    const scales = packed.scales
      ? await createStorageBuffer(rt.device, packed.scales, `quant-${packed.variant}-scales`)
      : null;
    if (scales) owned.push(scales);
    const zeros = packed.zeros
      ? await createStorageBuffer(rt.device, packed.zeros, `quant-${packed.variant}-zeros`)
      : null;
    if (zeros) owned.push(zeros);
    return { packed, w, scales, zeros, bytes: owned.reduce((s, b) => s + b.size, 0), dispose: () => destroyAll(owned) };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}

/** Why a split cannot run on this device, or null. */
export function splitProblem(shape: GemvShape, limits: KeyLimits): string | null {
  const { wg, rows, mTile } = shape;
  if (!Number.isInteger(wg) || wg < 1 || (wg & (wg - 1)) !== 0)
    return `workgroup size must be a power of two (the reduction halves it), got ${wg}.`;
  if (wg > limits.maxComputeInvocationsPerWorkgroup || wg > limits.maxComputeWorkgroupSizeX)
    return `workgroup size ${wg} exceeds this device's ${Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX)} invocations.`;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(mTile) || mTile < 1)
    return `rows and row tile must be whole numbers ≥ 1.`;
  // Reduction partials, plus (int4) staged scales and zero points: at most 2·rows·wg floats.
  const wgBytes = (wg * rows * mTile + 2 * rows * wg) * 4;
  if (wgBytes > limits.maxComputeWorkgroupStorageSize)
    return `the reduction needs ${wgBytes} bytes of workgroup memory (${wg}·${rows}·${mTile} floats), more than this device's ${limits.maxComputeWorkgroupStorageSize}.`;
  return null;
}

export interface GemvOptions extends PrepareOptions {
  /** Activations (M×K) to upload, or a buffer the caller owns; zeros when absent. */
  x?: Float32Array | GPUBuffer;
  shape?: GemvShape;
  /** A build needing an optional feature (./features.ts); refused where the device lacks it. */
  build?: GemvBuild;
}

export interface PreparedGemv extends PreparedKernel {
  variant: QuantVariant;
  build: GemvBuild;
  dims: QuantDims;
  shape: GemvShape;
  cost: GemvCost;
  x: GPUBuffer;
  y: GPUBuffer;
}

/**
 * y = x·Wᵀ for M activation rows against weights already on the GPU. Shapes the kernel cannot run
 * (K not a whole number of units or groups) are refused with a RangeError naming the problem;
 * device limits with a LimitError. N and M may be anything ≥ 1 (ragged tiles are masked).
 */
export async function prepareGemv(
  rt: GpuRuntime,
  weights: WeightBuffers,
  M: number,
  opts: GemvOptions = {},
): Promise<PreparedGemv> {
  const { device } = rt;
  const limits = rt.info.limits;
  const { variant, N, K, group } = weights.packed;
  const dims = { M, N, K };
  const problem = shapeProblem(variant, dims, group);
  if (problem) throw new RangeError(problem);
  const build = opts.build ?? 'standard';
  if (build !== 'standard') {
    const fb = featureBuild(build);
    if (fb.weights !== variant)
      throw new RangeError(`${fb.label} runs on ${fb.weights} weights, not ${VARIANT_LABELS[variant]}.`);
    if (!rt.info.features.includes(fb.feature)) throw new LimitError(`${fb.label}: ${fb.notOffered}.`);
  }
  const shape = opts.shape ?? defaultShape(M);
  const split = splitProblem(shape, limits);
  if (split) throw new LimitError(`${VARIANT_LABELS[variant]}: ${split}`);
  const workgroups: [number, number] = [Math.ceil(M / shape.mTile), Math.ceil(N / shape.rows)];
  if (Math.max(...workgroups) > limits.maxComputeWorkgroupsPerDimension)
    throw new LimitError(
      `${workgroups[0]}×${workgroups[1]} workgroups exceed this device's ${limits.maxComputeWorkgroupsPerDimension} per dimension.`,
    );
  const limit = bindingLimit(limits);
  for (const [what, bytes] of [
    ['x', M * K * 4],
    ['y', M * N * 4],
  ] as const)
    if (bytes > limit)
      throw new LimitError(`${what} (${mib(bytes)}) exceeds this device's largest storage binding (${mib(limit)}).`);

  const owned: GPUBuffer[] = [];
  try {
    let x: GPUBuffer;
    if (opts.x instanceof Float32Array) {
      if (opts.x.length !== M * K)
        throw new RangeError(`activations have ${opts.x.length} values, expected M·K = ${M * K}.`);
      x = await createStorageBuffer(device, opts.x, 'quant-x');
      owned.push(x);
    } else if (opts.x) {
      if (opts.x.size < M * K * 4)
        throw new RangeError(`activation buffer has ${opts.x.size} bytes, needs ${M * K * 4}.`);
      x = opts.x;
    } else {
      x = await createStorageBuffer(device, M * K * 4, 'quant-x');
      owned.push(x);
    }
    const y = await createStorageBuffer(device, M * N * 4, 'quant-y');
    owned.push(y);
    const units = (K * (variant === 'f32' ? 4 : variant === 'f16' ? 2 : variant === 'int8' ? 1 : 0.5)) / 16;
    const uniforms = createUniformBuffer(device, [M, N, K, units], 'quant-dims');
    owned.push(uniforms);
    const counters = await createCounters(device, Boolean(opts.instrumented), `quant-${variant}-counters`);
    owned.push(counters.buffer);
    const pipeline = await rt.pipelines.compute(gemvSource(variant, shape, group, Boolean(opts.instrumented), build));
    const group0 = [x, weights.w, y, uniforms];
    if (weights.scales) group0.push(weights.scales);
    if (weights.zeros) group0.push(weights.zeros);
    const bindGroups = [bindGroup(device, pipeline, group0, 0), counters.bind(pipeline)];
    const label = build === 'standard' ? `quant/${variant}` : `quant/${variant}-${build}`;
    return {
      variant,
      build,
      dims,
      shape,
      x,
      y,
      steps: [{ pipeline, bindGroups, workgroups, label }],
      cost: gemvCost(variant, dims, group, shape),
      allocatedBytes: owned.reduce((s, b) => s + b.size, 0) + weights.bytes,
      counters,
      read: () => readFloat32(device, y, M * N),
      dispose: () => destroyAll(owned),
    };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}
