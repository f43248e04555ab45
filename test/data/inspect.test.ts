import { describe, expect, it } from 'vitest';
import { writeArrow } from '../../src/data/arrow';
import { writeCsv } from '../../src/data/csv';
import { makeDataset } from '../../src/data/dataset';
import { checkFileSize, detectFormat, inspectFile, measureFile, MAX_FILE_BYTES } from '../../src/data/inspect';
import { writeParquet } from '../../src/data/parquet';
import { groupSizes, planShards } from '../../src/data/shard';

const ds = makeDataset({ rows: 3000, features: 5, seed: 4 });
const enc = new TextEncoder();

describe('bring your own file: inspect', () => {
  it('Parquet: schema, row groups, codec, statistics', () => {
    const info = inspectFile(
      writeParquet(ds, { codec: 'GZIP', rowGroupRows: 1000, encoding: 'dictionary' }),
      'mine.parquet',
    );
    expect(info.format).toBe('parquet');
    expect(info.rows).toBe(3000);
    expect(info.groups.map((g) => g.rows)).toEqual([1000, 1000, 1000]);
    expect(info.codecs).toEqual(['GZIP']);
    expect(info.columns.map((c) => c.name)).toEqual(ds.names);
    const day = info.columns.find((c) => c.name === 'day')!;
    expect([day.min, day.max, day.numeric]).toEqual([0, 99, true]);
    const source = info.columns.find((c) => c.name === 'source')!;
    expect(source.numeric).toBe(false);
    expect(source.note).toMatch(/not a number/);
  });

  it('Arrow and CSV', () => {
    const a = inspectFile(writeArrow(ds, 1000), 'x.arrow');
    expect([a.format, a.rows, a.groups.length]).toEqual(['arrow', 3000, 3]);
    expect(a.columns.find((c) => c.name === 'f0')!.numeric).toBe(true);
    expect(a.columns.find((c) => c.name === 'source')!.numeric).toBe(false);
    const c = inspectFile(writeCsv(ds), 'x.csv');
    expect([c.format, c.rows]).toEqual(['csv', 3000]);
    expect(c.columns.find((x) => x.name === 'source')!.note).toMatch(/not numeric \(line 2 holds "\w+"\)/);
  });

  it('measures a CSV, converts it to Parquet and measures that too; answers check', async () => {
    const bytes = writeCsv(ds);
    const info = inspectFile(bytes, 'x.csv');
    const m = (await measureFile(bytes, info))!;
    expect(m.all).toEqual(['id', 'day', ...ds.features]);
    expect(m.projected).toEqual(['id']);
    expect(m.measurements.map((x) => `${x.variant}:${x.pattern}`)).toEqual([
      'csv:full',
      'csv:projection',
      'csv:filter',
      'parquet-converted:full',
      'parquet-converted:projection',
      'parquet-converted:filter',
    ]);
    expect(m.measurements.every((x) => x.matches)).toBe(true);
    expect(m.convertedBytes).toBeGreaterThan(0);
    // id is sorted, so the converted file's row groups (1024 rows: 0–1023, 1024–2047, 2048–2999) let
    // the filter id ≥ 1499.5 skip the first.
    const f = m.measurements.find((x) => x.variant === 'parquet-converted' && x.pattern === 'filter')!;
    expect([f.groupsSkipped, f.groupsTotal, f.rowsOut]).toEqual([1, 3, 1500]);
  });
});

describe('bring your own file: malformed files', () => {
  const pq = writeParquet(ds, { codec: 'SNAPPY', rowGroupRows: 1000, encoding: 'dictionary' });
  it('truncated Parquet footer', () => {
    expect(() => inspectFile(pq.subarray(0, pq.length - 30), 'cut.parquet')).toThrow(/Parquet footer missing/);
  });
  it('wrong magic for a .parquet name', () => {
    expect(() => inspectFile(enc.encode('a,b\n1,2\n'), 'fake.parquet')).toThrow(
      /Not a Parquet file: "fake.parquet" starts with bytes 61 2c 62 0a, not the magic "PAR1"/,
    );
    expect(() => detectFormat(Uint8Array.of(1, 0, 2, 3), 'blob.bin')).toThrow(/binary but neither Parquet/);
  });
  it('ragged CSV rows', () => {
    expect(() => inspectFile(enc.encode('a,b,c\n1,2,3\n4,5,6,7\n'), 'r.csv')).toThrow(
      /CSV line 3 has 4 fields; the header has 3/,
    );
  });
  it('non-numeric columns: listed, and a file with none is refused by name', async () => {
    const bytes = enc.encode('who,what\nann,tea\nbob,coffee\n');
    const info = inspectFile(bytes, 'words.csv');
    expect(info.columns.map((c) => c.numeric)).toEqual([false, false]);
    await expect(measureFile(bytes, info)).rejects.toThrow(
      /"words.csv" has no numeric column \(who: text, what: text\)/,
    );
  });
  it('size cap and empty files', () => {
    expect(() => checkFileSize(MAX_FILE_BYTES + 1, 'big.csv')).toThrow(
      /"big.csv" is 256 MB; this lab reads CSV and Arrow files up to 256 MB/,
    );
    expect(() => checkFileSize(0, 'e.csv')).toThrow(/empty/);
  });
});

describe('sharding row groups over data-parallel ranks', () => {
  it('R divides the groups: every rank reads the same rows, nothing dropped or padded', () => {
    const p = planShards(groupSizes(8000, 1000), 4, 100);
    expect(p.byRank).toEqual([
      [0, 4],
      [1, 5],
      [2, 6],
      [3, 7],
    ]);
    expect([p.even, p.stepsEven, p.rowsDropped, p.rowsPadded]).toEqual([true, 20, 0, 0]);
  });
  it('R does not divide: the short rank sets the lock-step epoch', () => {
    const p = planShards(groupSizes(8000, 1000), 3, 100);
    expect(p.rowsByRank).toEqual([3000, 3000, 2000]);
    // drop_last at the shortest shard: 20 steps; ranks 0 and 1 leave 1000 rows each unread.
    expect([p.even, p.stepsEven, p.rowsDropped, p.rowsPadded]).toEqual([false, 20, 2000, 1000]);
  });
  it('a short last group and more ranks than groups', () => {
    expect(groupSizes(2500, 1000)).toEqual([1000, 1000, 500]);
    const p = planShards(groupSizes(2500, 1000), 4, 100);
    expect(p.rowsByRank).toEqual([1000, 1000, 500, 0]);
    expect(p.stepsEven).toBe(0);
  });
});
