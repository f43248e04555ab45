import decodeWgsl from '../../../shaders/precision/decode_f16.wgsl?raw';
import { createUniformBuffer } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { makeOp, opCounters, type GpuOp } from '../op';
import { specialise } from '../specialise';
import type { KernelCost, PrepareOptions } from '../types';
import { CAST_ELEMS_PER_THREAD, CAST_WORKGROUP, castCost } from './cost';
import { castPipeline, checkScale } from './host';

/**
 * The cluster lab's fp16/bf16 cast kernel (shaders/precision/cast.wgsl) as an op on caller
 * buffers, for the trainer's mixed-precision step: x (float32 bits) times the loss scale, rounded
 * to fp16 and bf16 into `out`, the underflow/overflow counts added into `stats` (7 u32, zeroed by
 * the caller before each step).
 */
export type CastSlots = 'x' | 'out' | 'stats';

export interface CastOp extends GpuOp<CastSlots> {
  /** The loss scale for the next encodes: a power of two 1 … 2^32 (a uniform write). */
  setScale(scale: number): void;
}

export async function createCastOp(rt: GpuRuntime, n: number, opts: PrepareOptions = {}): Promise<CastOp> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('The cast needs at least one value.');
  const pipeline = await castPipeline(rt, opts);
  const p = createUniformBuffer(rt.device, [n, 0, 0, 0], 'cast-op-params');
  const op = makeOp<CastSlots>(rt, {
    label: 'precision/cast',
    cost: castCost(n),
    counters: await opCounters(rt, 'precision/cast', opts),
    owned: [p],
    steps: [
      {
        pipeline,
        bindings: [p, 'x', 'out', 'stats'],
        workgroups: grid1d(
          Math.ceil(n / (CAST_WORKGROUP * CAST_ELEMS_PER_THREAD)),
          rt.device.limits.maxComputeWorkgroupsPerDimension,
        ),
        label: 'cast fp16/bf16',
      },
    ],
  });
  return {
    ...op,
    setScale(scale) {
      checkScale(scale);
      rt.device.queue.writeBuffer(p, 0, Uint32Array.of(n, Math.log2(scale), 0, 0));
    },
  };
}

export const DECODE_WG = 256;

/** One read and one write of 4 bytes per value; integer work only, so no FLOPs. */
export function decodeF16Cost(n: number): KernelCost {
  return { flops: 0, bytesRead: 4 * n, bytesWritten: 4 * n };
}

/** fp16 halves of the cast's words back to float32, exactly (shaders/precision/decode_f16.wgsl). */
export async function createDecodeF16Op(
  rt: GpuRuntime,
  n: number,
  opts: PrepareOptions = {},
): Promise<GpuOp<'words' | 'out'>> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('The decode needs at least one value.');
  const pipeline = await rt.pipelines.compute(
    specialise({ code: decodeWgsl, label: 'precision/decode-f16', constants: { WG: DECODE_WG } }, opts),
  );
  const p = createUniformBuffer(rt.device, [n], 'decode-f16-params');
  return makeOp<'words' | 'out'>(rt, {
    label: 'precision/decode-f16',
    cost: decodeF16Cost(n),
    counters: await opCounters(rt, 'precision/decode-f16', opts),
    owned: [p],
    steps: [
      {
        pipeline,
        bindings: [p, 'words', 'out'],
        workgroups: grid1d(Math.ceil(n / DECODE_WG), rt.device.limits.maxComputeWorkgroupsPerDimension),
        label: 'decode fp16',
      },
    ],
  });
}
