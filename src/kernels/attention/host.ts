import { createCounters, type CounterBuffer } from '../../gpu/counters';
import { createStorageBuffer, createUniformBuffer, destroyAll, readFloat32 } from '../../gpu/buffers';
import { bindGroup, grid1d, runSteps, type DispatchStep } from '../../gpu/dispatch';
import { LimitError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import { packF16 } from '../matmul/features';
import { specialise } from '../specialise';
import type { PreparedKernel, PrepareOptions } from '../types';
import { flashCost, threeSweepCost } from './cost';
import { checkFlashTile, checkHeadDim, flashPeakBytes, standardPeakBytes, standardRefusal } from './memory';
import { STD_TILE, softmaxScale, type AttentionShape, type FlashTile } from './shape';
import { attentionSource } from './source';

export { attentionSource };

/** Q, K, V on the GPU, shared by both paths so they compute from the same bytes. */
export interface AttentionInputs {
  shape: AttentionShape;
  q: GPUBuffer;
  k: GPUBuffer;
  v: GPUBuffer;
  params: GPUBuffer;
  /**
   * How Q, K and V are stored: f32 (absent), or f16 for the tiled kernel's f16-storage build
   * (shader-f16 only; the textbook path reads f32).
   */
  storage?: 'f32' | 'f16';
  dispose(): void;
}

/** Where the tiled kernel's f16-storage build is not offered, and why. */
export const FLASH_F16_NOT_OFFERED =
  'this adapter has no shader-f16 (SwiftShader does not), so the f16-storage tiled attention is not offered';

export interface PreparedAttention extends PreparedKernel {
  /** Runs the steps once. */
  runOnce(): Promise<void>;
}

export type { PrepareOptions };

export async function createAttentionInputs(
  rt: GpuRuntime,
  shape: AttentionShape,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  opts: { storage?: 'f32' | 'f16' } = {},
): Promise<AttentionInputs> {
  checkHeadDim(shape.d);
  const f16 = opts.storage === 'f16';
  if (f16 && !rt.info.features.includes('shader-f16'))
    throw new LimitError(`tiled attention: ${FLASH_F16_NOT_OFFERED}.`);
  const len = shape.bh * shape.n * shape.d;
  for (const [name, a] of [
    ['Q', q],
    ['K', k],
    ['V', v],
  ] as const) {
    if (a.length !== len)
      throw new Error(`${name} has ${a.length} values; [bh=${shape.bh}, N=${shape.n}, d=${shape.d}] needs ${len}.`);
  }
  const { device } = rt;
  const bufs: GPUBuffer[] = [];
  try {
    // f16: each value rounded to the nearest f16, two to a word (the kernel's reference input is f16Operand of each).
    const stored = (x: Float32Array) => (f16 ? packF16(x) : x);
    bufs.push(await createStorageBuffer(device, stored(q), 'attention-q'));
    bufs.push(await createStorageBuffer(device, stored(k), 'attention-k'));
    bufs.push(await createStorageBuffer(device, stored(v), 'attention-v'));
    const scaleBits = new Uint32Array(new Float32Array([softmaxScale(shape.d)]).buffer)[0];
    bufs.push(
      createUniformBuffer(device, [shape.bh, shape.n, shape.d, shape.causal ? 1 : 0, scaleBits], 'attention-params'),
    );
  } catch (e) {
    destroyAll(bufs);
    throw e;
  }
  const [qb, kb, vb, params] = bufs;
  return { shape, q: qb, k: kb, v: vb, params, storage: f16 ? 'f16' : 'f32', dispose: () => destroyAll(bufs) };
}

/** One counter buffer for all of a path's steps; each pipeline has its own auto layout, so its own bind group. */
async function counted(
  rt: GpuRuntime,
  steps: DispatchStep[],
  instrumented: boolean,
  owned: GPUBuffer[],
  label: string,
): Promise<CounterBuffer> {
  const counters = await createCounters(rt.device, instrumented, `${label} counters`);
  owned.push(counters.buffer);
  for (const s of steps) s.bindGroups[1] = counters.bind(s.pipeline);
  return counters;
}

/**
 * The naive unfused rung: scores to global memory through 32-wide tiles, a softmax that sweeps each
 * row three times, then P·V: three dispatches. The standard path is the textbook one (textbook.ts).
 */
export async function prepareThreeSweep(
  rt: GpuRuntime,
  inputs: AttentionInputs,
  opts: PrepareOptions = {},
): Promise<PreparedAttention> {
  const { device } = rt;
  const s = inputs.shape;
  if (inputs.storage === 'f16') throw new RangeError('attention: the textbook path reads f32 Q, K and V, not f16.');
  const refusal = standardRefusal(s, rt.info.limits);
  if (refusal) throw new LimitError(refusal);
  const instrumented = Boolean(opts.instrumented);
  const owned: GPUBuffer[] = [];
  try {
    const sBuf = await createStorageBuffer(device, s.bh * s.n * s.n * 4, 'attention-scores');
    owned.push(sBuf);
    const pBuf = await createStorageBuffer(device, s.bh * s.n * s.n * 4, 'attention-probs');
    owned.push(pBuf);
    const out = await createStorageBuffer(device, s.bh * s.n * s.d * 4, 'attention-std-out');
    owned.push(out);
    const [scores, softmax, pv] = await Promise.all(
      (['scores', 'softmax', 'pv'] as const).map((k) =>
        rt.pipelines.compute(specialise(attentionSource(k), { instrumented })),
      ),
    );
    const tiles = Math.ceil(s.n / STD_TILE);
    const steps: DispatchStep[] = [
      {
        pipeline: scores,
        bindGroups: [bindGroup(device, scores, [inputs.params, inputs.q, inputs.k, sBuf])],
        workgroups: [tiles, tiles, s.bh],
        label: 'scores',
      },
      {
        pipeline: softmax,
        bindGroups: [bindGroup(device, softmax, [inputs.params, sBuf, pBuf])],
        workgroups: grid1d(s.bh * s.n, device.limits.maxComputeWorkgroupsPerDimension),
        label: 'softmax',
      },
      {
        pipeline: pv,
        bindGroups: [bindGroup(device, pv, [inputs.params, pBuf, inputs.v, out])],
        workgroups: [s.d / STD_TILE, tiles, s.bh],
        label: 'pv',
      },
    ];
    const counters = await counted(rt, steps, instrumented, owned, 'attention/standard');
    return {
      steps,
      cost: threeSweepCost(s),
      allocatedBytes: standardPeakBytes(s),
      counters,
      read: () => readFloat32(device, out, s.bh * s.n * s.d),
      runOnce: () => runSteps(device, steps, 'attention-standard'),
      dispose: () => destroyAll(owned),
    };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}

export interface PreparedFlash extends PreparedAttention {
  readLse(): Promise<Float32Array>;
}

/** Tiled attention in one dispatch: one workgroup per (query block, head). */
export async function prepareFlash(
  rt: GpuRuntime,
  inputs: AttentionInputs,
  tile: FlashTile,
  opts: PrepareOptions = {},
): Promise<PreparedFlash> {
  const { device } = rt;
  const s = inputs.shape;
  const f16 = inputs.storage === 'f16';
  if (f16 && !rt.info.features.includes('shader-f16'))
    throw new LimitError(`tiled attention: ${FLASH_F16_NOT_OFFERED}.`);
  checkFlashTile(s.d, tile, rt.info.limits);
  const queryBlocks = Math.ceil(s.n / tile.br);
  if (
    queryBlocks > device.limits.maxComputeWorkgroupsPerDimension ||
    s.bh > device.limits.maxComputeWorkgroupsPerDimension
  ) {
    throw new LimitError(
      `${queryBlocks} query blocks × ${s.bh} heads exceeds ${device.limits.maxComputeWorkgroupsPerDimension} workgroups per dimension; raise Br.`,
    );
  }
  const instrumented = Boolean(opts.instrumented);
  const owned: GPUBuffer[] = [];
  try {
    const out = await createStorageBuffer(device, s.bh * s.n * s.d * 4, 'attention-flash-out');
    owned.push(out);
    const lse = await createStorageBuffer(device, s.bh * s.n * 4, 'attention-flash-lse');
    owned.push(lse);
    const pipeline = await rt.pipelines.compute(
      specialise(attentionSource('flash', { d: s.d, tile, storage: inputs.storage }), { instrumented }),
    );
    const steps: DispatchStep[] = [
      {
        pipeline,
        bindGroups: [bindGroup(device, pipeline, [inputs.params, inputs.q, inputs.k, inputs.v, out, lse])],
        workgroups: [queryBlocks, s.bh],
        label: 'flash',
      },
    ];
    const counters = await counted(rt, steps, instrumented, owned, 'attention/flash');
    return {
      steps,
      cost: flashCost(s, tile, f16 ? 2 : 4),
      allocatedBytes: flashPeakBytes(s),
      counters,
      read: () => readFloat32(device, out, s.bh * s.n * s.d),
      readLse: () => readFloat32(device, lse, s.bh * s.n),
      runOnce: () => runSteps(device, steps, 'attention-flash'),
      dispose: () => destroyAll(owned),
    };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}
