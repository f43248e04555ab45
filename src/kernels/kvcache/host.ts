import { createStorageBuffer, createUniformBuffer, destroyAll, readFloat32 } from '../../gpu/buffers';
import { createCounters } from '../../gpu/counters';
import { bindGroup } from '../../gpu/dispatch';
import { LimitError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import { specialise } from '../specialise';
import type { PreparedKernel, PrepareOptions } from '../types';
import { decodeAttentionCost, type KvLayout } from './cost';
import { maxContext, workgroupBytes } from './limits';
import { gatherContiguous, type DecodeBatch } from './reference';
import { kvSource } from './source';

/**
 * The decode kernels' uniform words, in the order shaders/kvcache/*.wgsl declare them: sequences,
 * heads, blocks per table, 1/√d as f32 bits, and d (the dot product's run-time bound, which keeps
 * lavapipe from unrolling it). One definition for every caller that binds these kernels on its own
 * buffers (the Serve lab's GPU forward), so a new word cannot be missed there again.
 */
export function decodeParamWords(sequences: number, heads: number, maxBlocks: number, headDim: number): number[] {
  const scaleBits = new Uint32Array(new Float32Array([1 / Math.sqrt(headDim)]).buffer)[0];
  return [sequences, heads, maxBlocks, scaleBits, headDim];
}

/**
 * Prepares decode attention for a batch in either layout. Both get the same data: the contiguous
 * one receives the paged pool copied into one max-length region per sequence.
 */
export async function prepareDecodeAttention(
  rt: GpuRuntime,
  batch: DecodeBatch,
  layout: KvLayout,
  opts: PrepareOptions = {},
): Promise<PreparedKernel> {
  const { device } = rt;
  const S = batch.seqLens.length;
  const maxLen = Math.max(...batch.seqLens);
  const maxCtx = maxContext(batch.seqLens);
  const wgBytes = workgroupBytes(maxCtx, batch.headDim, layout, batch.blockSize);
  const limit = device.limits.maxComputeWorkgroupStorageSize;
  if (wgBytes > limit)
    throw new LimitError(
      `context too long: ${maxLen} tokens need ${wgBytes} bytes of workgroup memory for scores, device has ${limit}`,
    );
  if (
    S > device.limits.maxComputeWorkgroupsPerDimension ||
    batch.numHeads > device.limits.maxComputeWorkgroupsPerDimension
  )
    throw new LimitError(`too many sequences or heads for one dispatch: ${S} × ${batch.numHeads}`);

  let k: Float32Array;
  let v: Float32Array;
  let maxBlocks: number;
  let tables: Uint32Array | null = null;
  if (layout === 'paged') {
    k = batch.kCache;
    v = batch.vCache;
    maxBlocks = Math.max(...batch.tables.map((t) => t.length));
    tables = new Uint32Array(S * maxBlocks);
    batch.tables.forEach((t, s) => tables!.set(t, s * maxBlocks));
  } else {
    ({ k, v, maxBlocks } = gatherContiguous(batch));
  }
  const buffers: GPUBuffer[] = [];
  try {
    const uniform = createUniformBuffer(
      device,
      decodeParamWords(S, batch.numHeads, maxBlocks, batch.headDim),
      `kv-${layout}-params`,
    );
    buffers.push(uniform);
    const add = async (data: Float32Array | Uint32Array | number, label: string) => {
      const b = await createStorageBuffer(device, data, `kv-${layout}-${label}`);
      buffers.push(b);
      return b;
    };
    const qBuf = await add(batch.q, 'q');
    const kBuf = await add(k, 'k');
    const vBuf = await add(v, 'v');
    const tBuf = tables ? await add(tables, 'tables') : null;
    const lBuf = await add(Uint32Array.from(batch.seqLens), 'lens');
    const out = await add(S * batch.numHeads * batch.headDim * 4, 'out');
    const counters = await createCounters(device, Boolean(opts.instrumented), `kvcache/${layout} counters`);
    buffers.push(counters.buffer);
    const pipeline = await rt.pipelines.compute(
      specialise(kvSource(layout, { headDim: batch.headDim, blockSize: batch.blockSize, maxCtx }), opts),
    );
    const bound = tBuf ? [uniform, qBuf, kBuf, vBuf, tBuf, lBuf, out] : [uniform, qBuf, kBuf, vBuf, lBuf, out];
    // The GPU memory the layout needs for this batch (the counters are bookkeeping, not KV memory).
    const allocatedBytes = buffers.filter((b) => b !== counters.buffer).reduce((a, b) => a + b.size, 0);
    return {
      steps: [
        {
          pipeline,
          bindGroups: [bindGroup(device, pipeline, bound), counters.bind(pipeline)],
          workgroups: [S, batch.numHeads],
          label: `kv ${layout}`,
        },
      ],
      cost: decodeAttentionCost(batch.seqLens, batch.numHeads, batch.headDim, batch.blockSize, layout),
      allocatedBytes,
      counters,
      read: () => readFloat32(device, out, S * batch.numHeads * batch.headDim),
      dispose: () => destroyAll(buffers),
    };
  } catch (e) {
    destroyAll(buffers);
    throw e;
  }
}
