import { createUniformBuffer } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { makeOp, opCounters, type GpuOp } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import { embeddingBackwardCost, embeddingForwardCost } from './cost';
import { checkEmbedding, EMBED_WG, SCATTER_WG, type EmbeddingDims } from './limits';
import { embeddingSource } from './source';

export type EmbeddingForwardSlots = 'tokens' | 'wte' | 'wpe' | 'out';
export type EmbeddingBackwardSlots = 'tokens' | 'dout' | 'dwte' | 'dwpe';

function params(rt: GpuRuntime, d: EmbeddingDims, label: string): GPUBuffer {
  return createUniformBuffer(rt.device, [d.batch, d.seq, d.channels, d.vocab], label);
}

/** out = wte[tokens] + wpe[position]: one dispatch. tokens is a u32 buffer of B·T ids. */
export async function createEmbeddingForward(
  rt: GpuRuntime,
  d: EmbeddingDims,
  opts: PrepareOptions = {},
): Promise<GpuOp<EmbeddingForwardSlots>> {
  checkEmbedding(d, rt.device.limits);
  const pipeline = await rt.pipelines.compute(specialise(embeddingSource('forward'), opts));
  const p = params(rt, d, 'embedding-forward-params');
  const n = d.batch * d.seq * d.channels;
  return makeOp<EmbeddingForwardSlots>(rt, {
    label: 'embedding/forward',
    cost: embeddingForwardCost(d),
    counters: await opCounters(rt, 'embedding/forward', opts),
    owned: [p],
    steps: [
      {
        pipeline,
        bindings: [p, 'tokens', 'wte', 'wpe', 'out'],
        workgroups: grid1d(Math.ceil(n / EMBED_WG), rt.device.limits.maxComputeWorkgroupsPerDimension),
        label: 'embedding gather',
      },
    ],
  });
}

/**
 * dwte (deterministic scatter-add; every row written, or added to with `accumulate`) and dwpe
 * (rows < seq): two dispatches.
 */
export async function createEmbeddingBackward(
  rt: GpuRuntime,
  d: EmbeddingDims,
  opts: PrepareOptions & { accumulate?: boolean } = {},
): Promise<GpuOp<EmbeddingBackwardSlots>> {
  checkEmbedding(d, rt.device.limits);
  const [wtePipe, wpePipe] = await Promise.all([
    rt.pipelines.compute(specialise(embeddingSource('backward_wte', Boolean(opts.accumulate)), opts)),
    rt.pipelines.compute(specialise(embeddingSource('backward_wpe'), opts)),
  ]);
  const p = params(rt, d, 'embedding-backward-params');
  return makeOp<EmbeddingBackwardSlots>(rt, {
    label: 'embedding/backward',
    cost: embeddingBackwardCost(d, Boolean(opts.accumulate)).total,
    counters: await opCounters(rt, 'embedding/backward', opts),
    owned: [p],
    steps: [
      {
        pipeline: wtePipe,
        bindings: [p, 'tokens', 'dout', 'dwte'],
        workgroups: [d.vocab, Math.ceil(d.channels / SCATTER_WG)],
        label: 'embedding dwte scatter-add',
      },
      {
        pipeline: wpePipe,
        bindings: [p, 'dout', 'dwpe'],
        workgroups: grid1d(
          Math.ceil((d.seq * d.channels) / EMBED_WG),
          rt.device.limits.maxComputeWorkgroupsPerDimension,
        ),
        label: 'embedding dwpe',
      },
    ],
  });
}
