import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import {
  decodeAttentionCost,
  decodeAttentionReference,
  makeDecodeBatch,
  measureDecodeAttention,
  prepareDecodeAttention,
} from '../../src/kernels/kvcache';
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

async function countLayout(
  batch: ReturnType<typeof makeDecodeBatch>,
  layout: 'paged' | 'contiguous',
  instrumented = true,
) {
  const rt = await testRuntime();
  const k = await prepareDecodeAttention(rt, batch, layout, { instrumented });
  try {
    k.counters.reset();
    await runSteps(rt.device, k.steps);
    return { counted: await k.counters.read(), cost: k.cost, out: await k.read() };
  } finally {
    k.dispose();
  }
}

describe('decode attention kernels on Dawn', () => {
  it('paged == contiguous == CPU reference on scattered blocks with partly filled last blocks', async () => {
    // Lengths that end mid-block, one shorter than a block, one longer than the workgroup.
    const batch = makeDecodeBatch({
      seqLens: [37, 5, 130, 16],
      numHeads: 2,
      headDim: 32,
      blockSize: 16,
      numBlocks: 24,
      seed: 4,
    });
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
    const batch = makeDecodeBatch({
      seqLens: [8 * 4, 8 * 2 + 3, 9],
      numHeads: 3,
      headDim: 16,
      blockSize: 8,
      tables,
      seed: 11,
    });
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

  it('counts exactly the cost model’s bytes in both layouts: scattered, shared-prefix and ragged batches', async () => {
    const scattered = makeDecodeBatch({
      seqLens: [37, 5, 130, 16],
      numHeads: 2,
      headDim: 32,
      blockSize: 16,
      numBlocks: 24,
      seed: 4,
    });
    const shared = makeDecodeBatch({
      seqLens: [8 * 4, 8 * 2 + 3, 9],
      numHeads: 3,
      headDim: 16,
      blockSize: 8,
      tables: [
        [3, 7, 0, 5],
        [3, 7, 2],
        [6, 1],
      ],
      seed: 11,
    });
    for (const [name, batch] of [
      ['scattered', scattered],
      ['shared prefix', shared],
    ] as const) {
      for (const layout of ['paged', 'contiguous'] as const) {
        const { counted, cost } = await countLayout(batch, layout);
        expect(counted, `${name} ${layout}`).toEqual({ bytesRead: cost.bytesRead, bytesWritten: cost.bytesWritten });
      }
    }
    // The model in numbers for the scattered batch: q, K and V, one length per (sequence, head), and
    // paged's tables (3 + 1 + 9 + 1 blocks per head); one output row per (sequence, head).
    const tokens = 37 + 5 + 130 + 16;
    const base = 4 * 2 * 32 * 4 + 2 * tokens * 2 * 32 * 4 + 4 * 2 * 4;
    expect(decodeAttentionCost(scattered.seqLens, 2, 32, 16, 'contiguous')).toMatchObject({
      bytesRead: base,
      bytesWritten: 4 * 2 * 32 * 4,
    });
    expect(decodeAttentionCost(scattered.seqLens, 2, 32, 16, 'paged').bytesRead).toBe(base + (3 + 1 + 9 + 1) * 4 * 2);
  });

  it('the timing build computes the same output and counts nothing', async () => {
    const batch = makeDecodeBatch({
      seqLens: [37, 5, 130, 16],
      numHeads: 2,
      headDim: 32,
      blockSize: 16,
      numBlocks: 24,
      seed: 4,
    });
    const timed = await countLayout(batch, 'paged', false);
    expect(timed.counted).toEqual({ bytesRead: 0, bytesWritten: 0 });
    expect(maxAbsError(timed.out, decodeAttentionReference(batch)).error).toBeLessThan(1e-5);
  });
});
