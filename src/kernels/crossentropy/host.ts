import { createUniformBuffer } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { f32Bits, makeOp, opCounters, type GpuOp } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import { crossEntropyBackwardCost, crossEntropyForwardCost } from './cost';
import { checkCrossEntropy, type CrossEntropyDims } from './limits';
import { crossEntropySource } from './source';

export type CrossEntropyForwardSlots = 'logits' | 'targets' | 'losses' | 'lse' | 'stats';
export type CrossEntropyBackwardSlots = 'logits' | 'targets' | 'lse' | 'stats' | 'dlogits';

/**
 * Per-row loss and lse, then the mean over scored rows into stats = [mean loss, scored rows]
 * (two dispatches). targets is a u32 buffer, 0xFFFFFFFF for a row that is not scored.
 */
export async function createCrossEntropyForward(
  rt: GpuRuntime,
  d: CrossEntropyDims,
  opts: PrepareOptions = {},
): Promise<GpuOp<CrossEntropyForwardSlots>> {
  checkCrossEntropy(d, rt.device.limits);
  const [rowPipe, meanPipe] = await Promise.all([
    rt.pipelines.compute(specialise(crossEntropySource('forward'), opts)),
    rt.pipelines.compute(specialise(crossEntropySource('mean'), opts)),
  ]);
  const p = createUniformBuffer(rt.device, [d.rows, d.vocab], 'crossentropy-params');
  return makeOp<CrossEntropyForwardSlots>(rt, {
    label: 'crossentropy/forward',
    cost: crossEntropyForwardCost(d).total,
    counters: await opCounters(rt, 'crossentropy/forward', opts),
    owned: [p],
    steps: [
      {
        pipeline: rowPipe,
        bindings: [p, 'logits', 'targets', 'losses', 'lse'],
        workgroups: grid1d(d.rows, rt.device.limits.maxComputeWorkgroupsPerDimension),
        label: 'cross-entropy rows',
      },
      { pipeline: meanPipe, bindings: [p, 'losses', 'targets', 'stats'], workgroups: [1], label: 'cross-entropy mean' },
    ],
  });
}

export interface CrossEntropyBackwardOp extends GpuOp<CrossEntropyBackwardSlots> {
  /** dLoss, the gradient of the final loss w.r.t. the mean loss (the loss scale under mixed precision); 1 by default. */
  setLossScale(dLoss: number): void;
}

/** dlogits = (softmax − onehot)·dLoss/scored from the forward's lse and stats: one dispatch. */
export async function createCrossEntropyBackward(
  rt: GpuRuntime,
  d: CrossEntropyDims,
  opts: PrepareOptions & { dLoss?: number } = {},
): Promise<CrossEntropyBackwardOp> {
  checkCrossEntropy(d, rt.device.limits);
  const pipeline = await rt.pipelines.compute(specialise(crossEntropySource('backward'), opts));
  const words = (dLoss: number) => new Uint32Array([d.rows, d.vocab, f32Bits(dLoss), 0]);
  const p = createUniformBuffer(rt.device, words(opts.dLoss ?? 1), 'crossentropy-backward-params');
  const op = makeOp<CrossEntropyBackwardSlots>(rt, {
    label: 'crossentropy/backward',
    cost: crossEntropyBackwardCost(d),
    counters: await opCounters(rt, 'crossentropy/backward', opts),
    owned: [p],
    steps: [
      {
        pipeline,
        bindings: [p, 'logits', 'targets', 'lse', 'stats', 'dlogits'],
        workgroups: grid1d(d.rows, rt.device.limits.maxComputeWorkgroupsPerDimension),
        label: 'cross-entropy backward',
      },
    ],
  });
  return { ...op, setLossScale: (dLoss) => rt.device.queue.writeBuffer(p, 0, words(dLoss)) };
}
