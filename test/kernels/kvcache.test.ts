import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { decodeAttentionCost, decodeAttentionReference, makeDecodeBatch, measureDecodeAttention, prepareDecodeAttention } from '../../src/kernels/kvcache';
import { maxAbsError } from '../../src/kernels/measure';
import { testRuntime } from '../helpers/gpu';

async function runLayout(batch: ReturnType<typeof makeDecodeBatch>, layout: 'paged' | 'contiguous') {
  const rt = await testRuntime();
  const k = await prepareDecodeAttention(rt, batch, layout);
  try {
    await runSteps(rt.device, k.steps);
    return await k.read();
  } finally {
    k.dispose();
  }
}

describe('decode attention kernels on Dawn', () => {
  it('paged == contiguous == CPU reference on scattered blocks with partly filled last blocks', async () => {
    // Lengths that end mid-block, one shorter than a block, one longer than the workgroup.
    const batch = makeDecodeBatch({ seqLens: [37, 5, 130, 16], numHeads: 2, headDim: 32, blockSize: 16, numBlocks: 24, seed: 4 });
    const want = decodeAttentionReference(batch);
    const paged = await runLayout(batch, 'paged');
    const contiguous = await runLayout(batch, 'contiguous');
    expect(maxAbsError(paged, want).error).toBeLessThan(1e-5);
    expect(maxAbsError(contiguous, want).error).toBeLessThan(1e-5);
    expect(maxAbsError(paged, contiguous).error).toBeLessThan(1e-5);
    // The physical blocks really are scattered: not the identity layout.
    expect(batch.tables.flat()).not.toEqual(
      batch.tables
        .flat()
        .slice()
        .sort((a, b) => a - b),
    );
  });

  it('reads shared-prefix blocks through two tables that point at the same physical blocks', async () => {
    // Sequences 0 and 1 share blocks 3 and 7 (a common prompt), then diverge; seq 1 ends mid-block.
    const tables = [
      [3, 7, 0, 5],
      [3, 7, 2],
      [6, 1],
    ];
    const batch = makeDecodeBatch({ seqLens: [8 * 4, 8 * 2 + 3, 9], numHeads: 3, headDim: 16, blockSize: 8, tables, seed: 11 });
    const want = decodeAttentionReference(batch);
    const paged = await runLayout(batch, 'paged');
    expect(maxAbsError(paged, want).error).toBeLessThan(1e-5);
    expect(maxAbsError(await runLayout(batch, 'contiguous'), want).error).toBeLessThan(1e-5);
    // Same prefix K/V, different tails: the outputs differ, so the tails were really read.
    expect(maxAbsError(paged.subarray(0, 48), paged.subarray(48, 96)).error).toBeGreaterThan(1e-3);
  });

  it('measures both layouts on the same batch, checked, with the cost model’s byte counts', async () => {
    const rt = await testRuntime();
    const batch = makeDecodeBatch({ seqLens: [40, 70, 9], numHeads: 2, headDim: 32, blockSize: 16, seed: 2 });
    const res = await measureDecodeAttention(rt, batch, { warmup: 0, samples: 2, minSampleMs: 0 });
    expect(res.map((r) => r.layout)).toEqual(['paged', 'contiguous']);
    for (const r of res) {
      expect(r.maxError).toBeLessThan(1e-5);
      expect(r.m.medianMs).toBeGreaterThan(0);
    }
    const c = decodeAttentionCost([40, 70, 9], 2, 32, 16, 'paged');
    expect(res[0].m.bytesMoved).toBe(c.bytesRead + c.bytesWritten);
    // Paged reads its tables: (3 + 5 + 1) blocks × 4 bytes × 2 heads more than contiguous.
    expect(res[0].m.bytesMoved - res[1].m.bytesMoved).toBe(9 * 4 * 2);
    expect(c.flops).toBe(119 * 2 * (4 * 32 + 3));
  });
});
