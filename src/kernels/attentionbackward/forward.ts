import { createUniformBuffer } from '../../gpu/buffers';
import type { GpuRuntime } from '../../gpu/runtime';
import { flashCost } from '../attention/cost';
import { checkFlashTile, largestTile } from '../attention/memory';
import { HEAD_DIMS, type FlashTile } from '../attention/shape';
import { attentionSource } from '../attention/source';
import { f32Bits, makeOp, opCounters, type GpuOp } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import { attentionForwardCost } from './cost';
import { backwardTile, checkAttentionBackward, type AttentionDims } from './limits';
import { attentionScale } from './reference';
import { attentionBackwardSource } from './source';

export type AttentionForwardSlots = 'q' | 'k' | 'v' | 'o' | 'lse';

export interface AttentionForwardOp extends GpuOp<AttentionForwardSlots> {
  /** Which kernel runs: the playground's tiled flash.wgsl (d = 32, 64, 128) or the plain one. */
  kernel: 'flash' | 'plain';
}

/**
 * O and lse of causal (or full) attention on caller buffers ([bh, n, d]; lse [bh, n]), ready for
 * createAttentionBackward. Uses shaders/attention/flash.wgsl (the attention lab's kernel) at the
 * head dimensions it compiles, with the largest tile this device runs, else
 * shaders/attentionbackward/forward.wgsl. `kernel: 'plain'` forces the latter.
 */
export async function createAttentionForward(
  rt: GpuRuntime,
  s: AttentionDims,
  opts: PrepareOptions & { kernel?: 'flash' | 'plain'; tile?: number; flashTile?: FlashTile } = {},
): Promise<AttentionForwardOp> {
  const limits = rt.device.limits;
  const flashTile = opts.flashTile ?? largestTile(s.d, limits);
  const useFlash = opts.kernel !== 'plain' && (HEAD_DIMS as readonly number[]).includes(s.d) && flashTile !== null;
  const p = createUniformBuffer(
    rt.device,
    [s.bh, s.n, s.d, s.causal ? 1 : 0, f32Bits(attentionScale(s.d))],
    'attention-forward-params',
  );
  const counters = await opCounters(rt, 'attention forward', opts);
  if (useFlash) {
    checkFlashTile(s.d, flashTile!, limits);
    checkAttentionBackward(s, 1, limits);
    const pipeline = await rt.pipelines.compute(
      specialise(attentionSource('flash', { d: s.d, tile: flashTile! }), opts),
    );
    const op = makeOp<AttentionForwardSlots>(rt, {
      label: 'attention/flash (train)',
      cost: flashCost({ ...s }, flashTile!),
      counters,
      owned: [p],
      steps: [
        {
          pipeline,
          bindings: [p, 'q', 'k', 'v', 'o', 'lse'],
          workgroups: [Math.ceil(s.n / flashTile!.br), s.bh],
          label: 'attention forward (flash)',
        },
      ],
    });
    return { ...op, kernel: 'flash' };
  }
  const tile = opts.tile ?? backwardTile(s.d, limits);
  checkAttentionBackward(s, tile, limits);
  // flash.wgsl's Params are (bh, n, d, causal, scale); the plain kernel's (bh, n, causal, scale, d).
  const plain = createUniformBuffer(
    rt.device,
    [s.bh, s.n, s.causal ? 1 : 0, f32Bits(attentionScale(s.d)), s.d],
    'attention-forward-params',
  );
  p.destroy();
  const pipeline = await rt.pipelines.compute(specialise(attentionBackwardSource('forward', s.d, tile), opts));
  const op = makeOp<AttentionForwardSlots>(rt, {
    label: 'attentionbackward/forward',
    cost: attentionForwardCost(s, tile),
    counters,
    owned: [plain],
    steps: [
      {
        pipeline,
        bindings: [plain, 'q', 'k', 'v', 'o', 'lse'],
        workgroups: [Math.ceil(s.n / tile), s.bh],
        label: 'attention forward (plain)',
      },
    ],
  });
  return { ...op, kernel: 'plain' };
}
