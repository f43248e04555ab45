import type { GpuRuntime } from '../../gpu/runtime';
import type { MeasuredFields } from '../../kernels/measure';
import { makeDecodeBatch, measureDecodeAttention } from '../../kernels/kvcache';
import type { CapturedBatch } from './simPart';

/** The decode attention kernels timed on a batch taken from the simulation (plain JSON). */
export interface KvKernelPart {
  step: number;
  seqs: number;
  heads: number;
  headDim: number;
  contextTokens: number;
  /** Physical blocks pointed at by more than one table (shared prefix / parallel samples). */
  sharedBlocks: number;
  adapter: string;
  timing: string;
  rows: (Omit<MeasuredFields, 'timing'> & {
    layout: 'paged' | 'contiguous';
    maxError: number;
    allocatedBytes: number;
  })[];
}

/**
 * Renumbers the captured physical blocks densely (keeping sharing and their scattered order), so
 * the GPU pool holds only the blocks this batch reads, whatever the simulated memory size.
 */
export function compactTables(tables: number[][]): { tables: number[][]; numBlocks: number; shared: number } {
  const ids = new Map<number, number>();
  const uses = new Map<number, number>();
  const out = tables.map((t) =>
    t.map((b) => {
      uses.set(b, (uses.get(b) ?? 0) + 1);
      let k = ids.get(b);
      if (k === undefined) {
        k = ids.size;
        ids.set(b, k);
      }
      return k;
    }),
  );
  // Physical order follows the original block numbers, so logically adjacent blocks stay apart.
  const order = [...ids.keys()].sort((a, b) => a - b);
  const rank = new Map(order.map((b, i) => [ids.get(b)!, i]));
  return {
    tables: out.map((t) => t.map((k) => rank.get(k)!)),
    numBlocks: ids.size,
    shared: [...uses.values()].filter((u) => u > 1).length,
  };
}

export async function runKernelPart(
  rt: GpuRuntime,
  batch: CapturedBatch,
  blockSize: number,
  signal?: AbortSignal,
): Promise<KvKernelPart> {
  // A software adapter (a CPU) times a slice of the batch, so the page answers in seconds.
  const software = rt.info.software;
  const heads = software ? 2 : 8;
  const headDim = 64;
  const keep = software ? 16 : batch.seqLens.length;
  const seqLens = batch.seqLens.slice(0, keep);
  const { tables, numBlocks, shared } = compactTables(batch.tables.slice(0, keep));
  const data = makeDecodeBatch({ seqLens, tables, numBlocks, numHeads: heads, headDim, blockSize, seed: 7 });
  const res = await measureDecodeAttention(
    rt,
    data,
    software ? { samples: 3, warmup: 1, signal } : { samples: 5, signal },
    software ? 1 : 2,
  );
  return {
    step: batch.step,
    seqs: seqLens.length,
    heads,
    headDim,
    contextTokens: seqLens.reduce((a, b) => a + b, 0),
    sharedBlocks: shared,
    adapter: rt.info.name,
    timing: res[0].m.timing,
    rows: res.map((r) => ({
      layout: r.layout,
      medianMs: r.m.medianMs,
      spreadMs: r.m.spreadMs,
      gbPerS: r.m.gbPerS,
      gflopPerS: r.m.gflopPerS,
      bytesMoved: r.m.bytesMoved,
      flops: r.m.flops,
      maxError: r.maxError,
      allocatedBytes: r.allocatedBytes,
    })),
  };
}
