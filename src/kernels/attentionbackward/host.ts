import { createStorageBuffer, createUniformBuffer, destroyAll } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { f32Bits, makeOp, opCounters, type GpuOp } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import { attentionBackwardCost } from './cost';
import { backwardTile, checkAttentionBackward, DELTA_WG, type AttentionDims } from './limits';
import { attentionScale } from './reference';
import { attentionBackwardSource } from './source';

export type AttentionBackwardSlots = 'q' | 'k' | 'v' | 'o' | 'lse' | 'dout' | 'dq' | 'dk' | 'dv';

export interface AttentionBackwardOp extends GpuOp<AttentionBackwardSlots> {
  /** Rows per block the kernels were compiled for. */
  tile: number;
}

/**
 * dQ, dK, dV of causal (or full) attention from Q, K, V, the forward's O and lse, and dO, all
 * [bh, n, d] (lse [bh, n]): three dispatches (delta, dK/dV by key block, dQ by query block); the
 * delta scratch (bh·n floats) belongs to the op.
 */
export async function createAttentionBackward(
  rt: GpuRuntime,
  s: AttentionDims,
  opts: PrepareOptions & { tile?: number } = {},
): Promise<AttentionBackwardOp> {
  const limits = rt.device.limits;
  const tile = opts.tile ?? backwardTile(s.d, limits);
  checkAttentionBackward(s, tile, limits);
  const [prePipe, dkvPipe, dqPipe] = await Promise.all(
    (['preprocess', 'dkv', 'dq'] as const).map((k) =>
      rt.pipelines.compute(specialise(attentionBackwardSource(k, s.d, tile), opts)),
    ),
  );
  const owned: GPUBuffer[] = [];
  try {
    const p = createUniformBuffer(
      rt.device,
      [s.bh, s.n, s.causal ? 1 : 0, f32Bits(attentionScale(s.d)), s.d],
      'attention-backward-params',
    );
    owned.push(p);
    const delta = await createStorageBuffer(rt.device, s.bh * s.n * 4, 'attention-backward-delta');
    owned.push(delta);
    const blocks = Math.ceil(s.n / tile);
    const op = makeOp<AttentionBackwardSlots>(rt, {
      label: 'attentionbackward',
      cost: attentionBackwardCost(s, tile).total,
      counters: await opCounters(rt, 'attentionbackward', opts),
      owned,
      steps: [
        {
          pipeline: prePipe,
          bindings: [p, 'dout', 'o', delta],
          workgroups: grid1d(Math.ceil((s.bh * s.n) / DELTA_WG), limits.maxComputeWorkgroupsPerDimension),
          label: 'attention backward delta',
        },
        {
          pipeline: dkvPipe,
          bindings: [p, 'q', 'k', 'v', 'dout', 'lse', delta, 'dk', 'dv'],
          workgroups: [blocks, s.bh],
          label: 'attention backward dK dV',
        },
        {
          pipeline: dqPipe,
          bindings: [p, 'q', 'k', 'v', 'dout', 'lse', delta, 'dq'],
          workgroups: [blocks, s.bh],
          label: 'attention backward dQ',
        },
      ],
    });
    return { ...op, tile };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}
