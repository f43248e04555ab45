import { runSteps } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { prepareDecodeAttention } from '../../kernels/kvcache/host';
import type { DecodeBatch } from '../../kernels/kvcache/reference';
import type { DecodeTrace, ServeEngine } from './engine';

/**
 * A decode step's attention for one layer as the KV-cache lab's paged kernel sees it: the
 * model's pool is already laid out [block][slot][head][headDim] (D = heads·headDim, heads
 * contiguous), and each running sequence's block table comes from the allocator unchanged.
 */
export function decodeBatchOf(engine: ServeEngine, layer: number, traces: DecodeTrace[]): DecodeBatch {
  const c = engine.model.config;
  const D = c.dModel;
  const q = new Float32Array(traces.length * D);
  traces.forEach((t, s) => q.set(t.queries[layer], s * D));
  return {
    numHeads: c.heads,
    headDim: D / c.heads,
    blockSize: engine.opts.blockSize,
    seqLens: traces.map((t) => t.len),
    tables: traces.map((t) => t.table),
    numBlocks: engine.opts.numBlocks,
    q,
    kCache: Float32Array.from(engine.pools.k[layer]),
    vCache: Float32Array.from(engine.pools.v[layer]),
  };
}

/** Runs the paged decode-attention kernel on that batch; returns [seq][D] (heads merged, as the model's). */
export async function gpuDecodeAttention(rt: GpuRuntime, batch: DecodeBatch): Promise<Float32Array> {
  const kernel = await prepareDecodeAttention(rt, batch, 'paged');
  try {
    await runSteps(rt.device, kernel.steps);
    return await kernel.read();
  } finally {
    kernel.dispose();
  }
}

/** max |GPU − CPU| / max |CPU| over every layer of the last decode step (the kernels' one metric). */
export async function checkLastDecodeOnGpu(
  rt: GpuRuntime,
  engine: ServeEngine,
): Promise<{ error: number; rows: number }> {
  const traces = engine.lastDecode;
  if (!traces.length) return { error: 0, rows: 0 };
  const D = engine.model.config.dModel;
  let err = 0;
  let scale = 0;
  for (let l = 0; l < engine.model.config.layers; l++) {
    const got = await gpuDecodeAttention(rt, decodeBatchOf(engine, l, traces));
    traces.forEach((t, s) => {
      for (let d = 0; d < D; d++) {
        err = Math.max(err, Math.abs(got[s * D + d] - t.attention[l][d]));
        scale = Math.max(scale, Math.abs(t.attention[l][d]));
      }
    });
  }
  return { error: scale ? err / scale : err, rows: traces.length * engine.model.config.layers };
}
