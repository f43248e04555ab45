import { describe, expect, it } from 'vitest';
import { attentionGuard } from '../../src/labs/attention/guard';
import { dataFormatsGuard } from '../../src/labs/data-formats/guard';
import { dataloaderGuard } from '../../src/labs/dataloader/guard';
import { decodeGuard } from '../../src/labs/decode/guard';
import { deviceGuard } from '../../src/labs/device/guard';
import { kvCacheGuard } from '../../src/labs/kv-cache/guard';
import { memoryWallGuard } from '../../src/labs/memory-wall/guard';
import { serveGuard } from '../../src/labs/serve/guard';
import { tilingGuard } from '../../src/labs/tiling/guard';
import { trainGuard } from '../../src/labs/train/guard';

/**
 * Each lab's guard rail (issue 31): measured numbers in, the sentence the page shows out. Silent when
 * the run agrees with the lesson; when it disagrees, the message states the numbers and the reason
 * that fits this adapter and size (software adapter first, then a size too small, then the rest).
 */
describe('guard rails', () => {
  it('memory wall: silent when fusion pays, names the adapter, the cache or the GPU otherwise', () => {
    const base = { unfusedMs: 10, fusedMs: 4, fusedLabel: 'fused', trafficRatio: 28 / 12, n: 1 << 24, software: false };
    expect(memoryWallGuard(base)).toBeNull();
    expect(memoryWallGuard({ ...base, fusedMs: 0 })).toBeNull();
    const soft = memoryWallGuard({ ...base, fusedMs: 9.5, software: true })!;
    expect(soft).toContain('fused ran 1.05× as fast as the unfused chain while moving 2.33× fewer bytes.');
    expect(soft).toContain('software GPU');
    expect(memoryWallGuard({ ...base, fusedMs: 12, n: 1 << 16 })).toContain(
      'N = 65536 floats the intermediate (256 KiB) fits',
    );
    expect(memoryWallGuard({ ...base, fusedMs: 12 })).toContain('may not be limited by bandwidth');
  });

  it('attention: only when the standard path ran and tiled was slower', () => {
    const base = { standardMs: 5, tiledMs: 4, bytesRatio: 3, n: 2048, software: false };
    expect(attentionGuard(base)).toBeNull();
    expect(attentionGuard({ ...base, standardMs: null, tiledMs: 100 })).toBeNull();
    const soft = attentionGuard({ ...base, tiledMs: 10, software: true })!;
    expect(soft).toMatch(
      /^The tiled \(FlashAttention\) kernel ran 0\.500× as fast as the standard one while moving 3\.00× fewer/,
    );
    expect(soft).toContain('software GPU');
    expect(attentionGuard({ ...base, tiledMs: 10, n: 512 })).toContain(
      'At N = 512 the score matrix (1024 KiB per head)',
    );
    expect(attentionGuard({ ...base, tiledMs: 10 })).toContain('tile shape may not suit it');
  });

  it('decode: int4 under 1.5× f32 is explained by the adapter, the batch or the cache', () => {
    const base = { f32Ms: 8, int4Ms: 2, f32Bytes: 64 * 2 ** 20, int4Bytes: 9 * 2 ** 20, M: 1, software: false };
    expect(decodeGuard(base)).toBeNull();
    expect(decodeGuard({ ...base, int4Ms: null })).toBeNull();
    expect(decodeGuard({ ...base, int4Ms: 8, software: true })).toContain(
      '4-bit weight costs more than the bytes it saves',
    );
    expect(decodeGuard({ ...base, int4Ms: 8, M: 16 })).toContain('M = 16 each weight serves 16 tokens');
    expect(decodeGuard({ ...base, int4Ms: 8, f32Bytes: 4 * 2 ** 20 })).toContain('(4 MiB) fit in the GPU’s cache');
    expect(decodeGuard({ ...base, int4Ms: 6 })).toContain(
      'int4 ran 1.33× as fast as f32 while reading 7.11× fewer bytes.',
    );
  });

  it('data formats: Parquet against CSV and Arrow against Parquet, with the size as the reason', () => {
    const base = { csvRowsPerS: 1e5, parquetRowsPerS: 1e6, arrowRowsPerS: 1e7, parquetMs: 20, rows: 200_000 };
    expect(dataFormatsGuard(base)).toBeNull();
    expect(dataFormatsGuard({ ...base, arrowRowsPerS: null })).toBeNull();
    const small = dataFormatsGuard({ ...base, parquetRowsPerS: 5e4, rows: 10_000, parquetMs: 0.5 })!;
    expect(small).toMatch(
      /^The Parquet projection read 0\.500× CSV’s rows per second\. With 10,000 rows the read takes about 0\.5 ms/,
    );
    const both = dataFormatsGuard({ ...base, arrowRowsPerS: 1e6 })!;
    expect(both).toContain('Arrow read 1.00× Parquet’s rows per second');
    expect(both).toContain('Re-run');
  });

  it('dataloader: Arrow no cheaper than Parquet per sample', () => {
    expect(dataloaderGuard({ arrowMs: 0.2, parquetMs: 0.3, augment: 4 })).toBeNull();
    const msg = dataloaderGuard({ arrowMs: 0.65, parquetMs: 0.325, augment: 16 })!;
    expect(msg).toContain('(16 passes per value)');
    expect(msg).toMatch(/^Arrow cost 650\s?µs per sample, Parquet 325\s?µs/);
  });

  it('kv-cache: paged over 1.5× contiguous', () => {
    const base = { pagedMs: 1.2, contiguousMs: 1, contextTokens: 10_000, software: false };
    expect(kvCacheGuard(base)).toBeNull();
    expect(kvCacheGuard({ ...base, pagedMs: 2, software: true })).toContain('prefetcher');
    expect(kvCacheGuard({ ...base, pagedMs: 2, contextTokens: 900 })).toContain('With only 900 cached tokens');
    expect(kvCacheGuard({ ...base, pagedMs: 2 })).toMatch(/^The paged kernel took 2\.00× the contiguous/);
  });

  it('device: a ridge point under 4 FLOP/byte', () => {
    expect(deviceGuard({ copyGBps: 1000, fmaGflops: 50_000, software: false })).toBeNull();
    expect(deviceGuard({ copyGBps: 1.14, fmaGflops: 2.88, software: true })).toMatch(
      /^The ridge point measured here is 2\.5 FLOP\/byte, where a GPU’s is tens\. This adapter is a software GPU/,
    );
    expect(deviceGuard({ copyGBps: 100, fmaGflops: 200, software: false })).toContain('may not have filled this GPU');
    expect(deviceGuard({ copyGBps: 0, fmaGflops: 200, software: false })).toBeNull();
  });

  it('serve: a draft that costs more than twice its parameter share', () => {
    expect(serveGuard({ cMeasured: 0.3, cParams: 0.2 })).toBeNull();
    expect(serveGuard({ cMeasured: 0.6, cParams: 0.2 })).toMatch(
      /^The draft model costs c = 0\.60 of the target per token, 3\.00× its share/,
    );
  });

  it('tiling: the tiled kernel slower than naive', () => {
    const base = {
      label: 'tiled 16×16',
      gflops: 3,
      naiveGflops: 2,
      bytesRead: 1e6,
      naiveBytesRead: 16e6,
      software: false,
    };
    expect(tilingGuard(base)).toBeNull();
    expect(tilingGuard({ ...base, gflops: 1.56, software: true })).toMatch(
      /^tiled 16×16 ran at 0\.780× the naive kernel’s speed, while moving 16\.0× fewer global bytes\. This adapter is a software GPU/,
    );
    expect(tilingGuard({ ...base, gflops: 1 })).toContain('At a small size');
  });

  it('train: matmuls not the largest part of the step', () => {
    const t = {
      matmul: 5,
      attention: 1,
      norms: 1,
      elementwise: 2,
      optimizer: 1,
      data: 0.5,
      source: 'timestamp' as const,
    };
    expect(trainGuard({ timing: t, software: false })).toBeNull();
    expect(trainGuard({ timing: null, software: false })).toBeNull();
    const msg = trainGuard({ timing: { ...t, optimizer: 7 }, software: true })!;
    expect(msg).toMatch(/^The optimizer took longer than the matmuls in the last timed step \(7\.00 vs 5\.00 ms\)/);
    expect(msg).toContain('software GPU');
    expect(trainGuard({ timing: { ...t, elementwise: 6 }, software: false })).toContain('This model is tiny');
  });
});
