import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/data/dataset';
import { inspectFile, measureFile } from '../../src/data/inspect';
import { readParquet, writeParquet } from '../../src/data/parquet';
import { isParquetBlob, sampleParquet } from '../../src/data/parquetSample';
import { formatsWorkerApi } from '../../src/workers/formats/api';

// Ten row groups of 1000 rows; sampled with a budget that holds only some of them, as a file of
// many gigabytes is sampled with the lab's 256 MB.
const ds = makeDataset({ rows: 10_000, features: 6, seed: 9 });
const file = writeParquet(ds, { codec: 'SNAPPY', rowGroupRows: 1000, encoding: 'dictionary' });
const blob = new Blob([file]);

describe('a Parquet file larger than the tab reads: footer, then the first row groups', () => {
  it('keeps the whole file’s schema and statistics, and reads exactly the first whole row groups', async () => {
    expect(await isParquetBlob(blob)).toBe(true);
    const budget = Math.floor(file.length * 0.45);
    const s = await sampleParquet(blob, 'big.parquet', budget);
    expect(s.groups).toBeGreaterThan(0);
    expect(s.groups).toBeLessThan(10);
    expect(s.bytes.length).toBeLessThanOrEqual(budget);
    expect(s.full.row_groups).toHaveLength(10);
    expect(Number(s.meta.num_rows)).toBe(1000 * s.groups);

    const info = inspectFile(s.bytes, 'big.parquet', s);
    expect(info.rows).toBe(10_000);
    expect(info.bytes).toBe(file.length);
    expect(info.groups).toHaveLength(10);
    expect(info.sample).toEqual({ groups: s.groups, rows: 1000 * s.groups, bytes: s.bytes.length });
    expect(info.notes.join(' ')).toMatch(new RegExp(`first ${s.groups} of 10 row groups`));
    // Statistics are the whole file's: day spans 0–99 although the first groups may not.
    const day = info.columns.find((c) => c.name === 'day')!;
    expect([day.min, day.max]).toEqual([0, 99]);

    // The sample reads the same values as the whole file's first groups.
    const want = await readParquet(file, { columns: ['id', 'f0'], groups: [...Array(s.groups).keys()] });
    const m = (await measureFile(s.bytes, info, s))!;
    const full = m.measurements.find((x) => x.pattern === 'full')!;
    expect(full.rowsOut).toBe(want.rows);
    expect(m.measurements.every((x) => x.matches)).toBe(true);
  });

  it('through the worker API: a Parquet Blob past the cap is sampled, a CSV one is refused, a small one is read whole', async () => {
    const cap = Math.floor(file.length * 0.45);
    const big = await formatsWorkerApi.inspect(blob, 'big.parquet', undefined, cap);
    expect(big.info.sample?.groups).toBeGreaterThan(0);
    expect(big.info.rows).toBe(10_000);
    expect(big.result!.measurements.every((x) => x.matches)).toBe(true);
    const csv = new Blob([new Uint8Array(cap + 1).fill(65)]);
    await expect(formatsWorkerApi.inspect(csv, 'big.csv', undefined, cap)).rejects.toThrow(
      /reads CSV and Arrow files up to/,
    );
    const small = await formatsWorkerApi.inspect(blob, 'small.parquet');
    expect(small.info.sample).toBeUndefined();
    expect(small.info.rows).toBe(10_000);
  });

  it('names what is wrong: no footer, a footer longer than the file, a first row group past the budget', async () => {
    const noEnd = new Blob([file.subarray(0, file.length - 4), new Uint8Array([1, 2, 3, 4])]);
    await expect(sampleParquet(noEnd, 'cut.parquet', file.length)).rejects.toThrow(
      /Parquet footer missing: "cut.parquet"/,
    );
    const liar = file.slice();
    new DataView(liar.buffer).setUint32(liar.length - 8, liar.length, true);
    await expect(sampleParquet(new Blob([liar]), 'liar.parquet', file.length)).rejects.toThrow(/footer truncated/);
    await expect(sampleParquet(blob, 'big.parquet', Math.floor(file.length / 12))).rejects.toThrow(
      /first row group alone ends at/,
    );
  });
});
