import countersOff from '../../../shaders/attention/counters-off.wgsl?raw';
import countersOn from '../../../shaders/attention/counters-on.wgsl?raw';
import flashWgsl from '../../../shaders/attention/flash.wgsl?raw';
import pvWgsl from '../../../shaders/attention/pv.wgsl?raw';
import scoresWgsl from '../../../shaders/attention/scores.wgsl?raw';
import softmaxWgsl from '../../../shaders/attention/softmax.wgsl?raw';
import { createCounters, readTraffic, type TrafficCount } from '../../gpu/counters';
import { createStorageBuffer, createUniformBuffer, destroyAll, readFloat32 } from '../../gpu/buffers';
import { bindGroup, grid1d, runSteps, type DispatchStep } from '../../gpu/dispatch';
import { LimitError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import type { PreparedKernel } from '../types';
import { flashCost, standardCost } from './cost';
import { checkFlashTile, checkHeadDim, flashPeakBytes, standardPeakBytes, standardRefusal } from './memory';
import { SOFTMAX_WG, STD_TILE, softmaxScale, type AttentionShape, type FlashTile } from './shape';

/** Q, K, V on the GPU, shared by both paths so they compute from the same bytes. */
export interface AttentionInputs {
  shape: AttentionShape;
  q: GPUBuffer;
  k: GPUBuffer;
  v: GPUBuffer;
  params: GPUBuffer;
  dispose(): void;
}

export interface PreparedAttention extends PreparedKernel {
  /** Zeroes the traffic counters (instrumented variants only). */
  resetCounts(): void;
  /** Bytes the instrumented kernels counted since the last reset. */
  readCounts(): Promise<TrafficCount>;
  /** Runs the steps once. */
  runOnce(): Promise<void>;
}

export interface PrepareOptions {
  /** Build the variant whose loads and stores add to atomic counters. */
  instrumented?: boolean;
}

/**
 * The one place WGSL text is generated: the counting prelude (on or off) and, for the tiled kernel,
 * the head dimension as a const, since private arrays (q and the accumulator) need a fixed size.
 * Tile sizes stay override constants.
 */
export function attentionSource(kernel: string, instrumented: boolean, d?: number): string {
  const head = d === undefined ? '' : `const D: u32 = ${d}u;\n`;
  return `${head}${instrumented ? countersOn : countersOff}\n${kernel}`;
}

export async function createAttentionInputs(
  rt: GpuRuntime,
  shape: AttentionShape,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
): Promise<AttentionInputs> {
  checkHeadDim(shape.d);
  const len = shape.bh * shape.n * shape.d;
  for (const [name, a] of [
    ['Q', q],
    ['K', k],
    ['V', v],
  ] as const) {
    if (a.length !== len) throw new Error(`${name} has ${a.length} values; [bh=${shape.bh}, N=${shape.n}, d=${shape.d}] needs ${len}.`);
  }
  const { device } = rt;
  const bufs: GPUBuffer[] = [];
  try {
    bufs.push(await createStorageBuffer(device, q, 'attention-q'));
    bufs.push(await createStorageBuffer(device, k, 'attention-k'));
    bufs.push(await createStorageBuffer(device, v, 'attention-v'));
    const scaleBits = new Uint32Array(new Float32Array([softmaxScale(shape.d)]).buffer)[0];
    bufs.push(createUniformBuffer(device, [shape.bh, shape.n, shape.d, shape.causal ? 1 : 0, scaleBits], 'attention-params'));
  } catch (e) {
    destroyAll(bufs);
    throw e;
  }
  const [qb, kb, vb, params] = bufs;
  return { shape, q: qb, k: kb, v: vb, params, dispose: () => destroyAll(bufs) };
}

async function counted(rt: GpuRuntime, steps: DispatchStep[], instrumented: boolean, owned: GPUBuffer[]) {
  if (!instrumented) {
    return {
      resetCounts: () => undefined,
      readCounts: () => Promise.reject(new Error('this kernel was prepared without counters')),
    };
  }
  const counters = await createCounters(rt.device);
  owned.push(counters);
  // Each pipeline has its own auto layout, so each step gets its own bind group on the same buffer.
  for (const s of steps) s.bindGroups[1] = bindGroup(rt.device, s.pipeline, [counters], 1, 'attention-counters');
  return {
    resetCounts: () => rt.device.queue.writeBuffer(counters, 0, new Uint32Array(2)),
    readCounts: () => readTraffic(rt.device, counters),
  };
}

/** Standard attention: scores to global memory, row softmax, then P·V: three dispatches. */
export async function prepareStandard(rt: GpuRuntime, inputs: AttentionInputs, opts: PrepareOptions = {}): Promise<PreparedAttention> {
  const { device } = rt;
  const s = inputs.shape;
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
    const [scores, softmax, pv] = await Promise.all([
      rt.pipelines.compute({ code: attentionSource(scoresWgsl, instrumented), label: 'attention/scores', constants: { TILE: STD_TILE } }),
      rt.pipelines.compute({ code: attentionSource(softmaxWgsl, instrumented), label: 'attention/softmax', constants: { WG: SOFTMAX_WG } }),
      rt.pipelines.compute({ code: attentionSource(pvWgsl, instrumented), label: 'attention/pv', constants: { TILE: STD_TILE } }),
    ]);
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
      { pipeline: pv, bindGroups: [bindGroup(device, pv, [inputs.params, pBuf, inputs.v, out])], workgroups: [s.d / STD_TILE, tiles, s.bh], label: 'pv' },
    ];
    const counts = await counted(rt, steps, instrumented, owned);
    return {
      steps,
      cost: standardCost(s),
      allocatedBytes: standardPeakBytes(s),
      read: () => readFloat32(device, out, s.bh * s.n * s.d),
      runOnce: () => runSteps(device, steps, 'attention-standard'),
      dispose: () => destroyAll(owned),
      ...counts,
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
export async function prepareFlash(rt: GpuRuntime, inputs: AttentionInputs, tile: FlashTile, opts: PrepareOptions = {}): Promise<PreparedFlash> {
  const { device } = rt;
  const s = inputs.shape;
  checkFlashTile(s.d, tile, rt.info.limits);
  const queryBlocks = Math.ceil(s.n / tile.br);
  if (queryBlocks > device.limits.maxComputeWorkgroupsPerDimension || s.bh > device.limits.maxComputeWorkgroupsPerDimension) {
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
    const pipeline = await rt.pipelines.compute({
      code: attentionSource(flashWgsl, instrumented, s.d),
      label: `attention/flash-d${s.d}`,
      constants: { BR: tile.br, BC: tile.bc },
    });
    const steps: DispatchStep[] = [
      {
        pipeline,
        bindGroups: [bindGroup(device, pipeline, [inputs.params, inputs.q, inputs.k, inputs.v, out, lse])],
        workgroups: [queryBlocks, s.bh],
        label: 'flash',
      },
    ];
    const counts = await counted(rt, steps, instrumented, owned);
    return {
      steps,
      cost: flashCost(s, tile),
      allocatedBytes: flashPeakBytes(s),
      read: () => readFloat32(device, out, s.bh * s.n * s.d),
      readLse: () => readFloat32(device, lse, s.bh * s.n),
      runOnce: () => runSteps(device, steps, 'attention-flash'),
      dispose: () => destroyAll(owned),
      ...counts,
    };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}
