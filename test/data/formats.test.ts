import { describe, expect, it } from 'vitest';
import { openArrow, arrowColumnSlice, writeArrow } from '../../src/data/arrow';
import { parseCsv, writeCsv, csvToTable } from '../../src/data/csv';
import { makeDataset } from '../../src/data/dataset';
import { DataFormatError } from '../../src/data/errors';
import { expectedFilter, filterCut, measureFormats } from '../../src/data/measure';
import { groupsMayMatch, readParquet, readParquetMetadata, writeParquet, WRITE_CODECS } from '../../src/data/parquet';
import { arrowReader, csvReader, parquetReader } from '../../src/data/readers';

// 4000 rows in groups of 500: 8 row groups; days 0..99 sorted, so day >= 75 lives in rows 3000.. (groups 6 and 7).
const ds = makeDataset({ rows: 4000, features: 6, seed: 3 });
const numericNames = ['id', 'day', ...ds.features];

function expectColumnsEqual(
  got: Record<string, ArrayLike<number>>,
  names: string[],
  want: Record<string, ArrayLike<number>>,
) {
  for (const n of names) {
    expect(got[n].length, n).toBe(want[n].length);
    // float32 columns compare in float32; CSV text parses to float64, which rounds to the same float32.
    expect(Array.from(got[n], Math.fround), n).toEqual(Array.from(want[n], Math.fround));
  }
}

describe('round trip: values written to each format read back equal', () => {
  it('CSV (d3-dsv parse of our writer’s text)', () => {
    const t = parseCsv(writeCsv(ds), { columns: numericNames });
    expect(t.rows).toBe(4000);
    expect(t.names).toEqual(ds.names);
    expectColumnsEqual(t.columns, numericNames, ds.columns as Record<string, Float32Array>);
  });

  for (const codec of WRITE_CODECS)
    for (const encoding of ['dictionary', 'plain'] as const)
      it(`Parquet ${codec} ${encoding} (strings too)`, async () => {
        const bytes = writeParquet(ds, { codec, rowGroupRows: 500, encoding });
        const meta = readParquetMetadata(bytes);
        expect(meta.row_groups.length).toBe(8);
        expect(meta.row_groups[0].columns[0].meta_data?.codec).toBe(codec);
        const r = await readParquet(bytes);
        expect(r.rows).toBe(4000);
        expectColumnsEqual(
          r.columns as Record<string, Float32Array>,
          numericNames,
          ds.columns as Record<string, Float32Array>,
        );
        expect(r.columns.source).toEqual(ds.columns.source);
        expect(r.columns.f0).toBeInstanceOf(Float32Array);
        const dayEnc = meta.row_groups[0].columns[1].meta_data?.encodings ?? [];
        // The writer picks a dictionary for the 100-value day column unless told plain.
        expect(dayEnc.includes('RLE_DICTIONARY')).toBe(encoding === 'dictionary');
        // Statistics: min/max of day per row group.
        const st = meta.row_groups[6].columns[1].meta_data?.statistics;
        expect([Number(st?.min_value), Number(st?.max_value)]).toEqual([75, 87]);
      });

  it('Arrow IPC: the columns are views into the file bytes, no copy', () => {
    const bytes = writeArrow(ds, 500);
    const t = openArrow(bytes);
    expect(t.numRows).toBe(4000);
    const view = arrowColumnSlice(t, 'f2', 10, 20);
    expect(view.buffer).toBe(bytes.buffer);
    expect(Array.from(view)).toEqual(Array.from((ds.columns.f2 as Float32Array).subarray(10, 20)));
    // Across record batches (rows 490..510) the parts are joined into one array.
    expect(Array.from(arrowColumnSlice(t, 'f2', 490, 510))).toEqual(
      Array.from((ds.columns.f2 as Float32Array).subarray(490, 510)),
    );
    expect(t.getChild('source')!.toArray()).toEqual(ds.columns.source);
  });

  it('CSV → table → Parquet conversion keeps the values (integers as INT32, decimals as DOUBLE)', async () => {
    const table = csvToTable(writeCsv(ds));
    expect(table.columns.id).toBeInstanceOf(Int32Array);
    expect(table.columns.f0).toBeInstanceOf(Float64Array);
    const r = await readParquet(writeParquet(table, { codec: 'SNAPPY', rowGroupRows: 1000, encoding: 'dictionary' }));
    expectColumnsEqual(
      r.columns as Record<string, Float64Array>,
      numericNames,
      ds.columns as Record<string, Float32Array>,
    );
  });
});

describe('projection and filter equal a full read filtered on the CPU', () => {
  const files = {
    csv: csvReader(writeCsv(ds)),
    parquet: parquetReader(writeParquet(ds, { codec: 'SNAPPY', rowGroupRows: 500, encoding: 'dictionary' })),
    arrow: arrowReader(writeArrow(ds, 500)),
  };
  for (const [name, reader] of Object.entries(files)) {
    it(name, async () => {
      const proj = await reader.read(['f1', 'f4']);
      expectColumnsEqual(proj.columns, ['f1', 'f4'], ds.columns as Record<string, Float32Array>);
      const full = await reader.read(numericNames);
      const where = await reader.readWhere(['f1', 'f4'], 'day', 75);
      expect(where.rows).toBe(1000);
      expectColumnsEqual(where.columns, ['f1', 'f4'], expectedFilter(ds, ['f1', 'f4'], 'day', 75));
      // Projection touches less than a full read for the columnar formats; CSV scans every byte either way.
      // (hyparquet merges chunks less than 8 KB apart into one read, so f2 and f3 ride along here.)
      if (name === 'csv') expect(proj.bytesTouched).toBe(full.bytesTouched);
      else expect(proj.bytesTouched).toBeLessThan(full.bytesTouched * 0.6);
      if (name !== 'csv') expect((await reader.read(['f0'])).bytesTouched).toBeLessThan(full.bytesTouched / 4);
      // Pushdown: only Parquet has statistics, and it skips exactly the 6 groups whose max day < 75.
      expect(where.groupsSkipped).toBe(name === 'parquet' ? 6 : 0);
      if (name === 'parquet') expect(where.bytesTouched).toBeLessThan(proj.bytesTouched);
    });
  }

  it('groupsMayMatch reads min/max statistics: day in [30, 40] lives in groups 2 and 3', () => {
    const meta = readParquetMetadata(writeParquet(ds, { codec: 'UNCOMPRESSED', rowGroupRows: 500, encoding: 'plain' }));
    expect(groupsMayMatch(meta, 'day', 30, 40)).toEqual({ keep: [2, 3], withoutStats: 0 });
    expect(filterCut(100, 0.25)).toBe(75);
  });
});

describe('measureFormats (the lab’s run, small)', () => {
  it('writes every variant, measures three access patterns per format, and every answer checks', async () => {
    const r = await measureFormats({
      rows: 2048,
      features: 8,
      rowGroupRows: 256,
      seed: 1,
      columnsRead: 2,
      selectivity: 0.25,
    });
    expect(r.variants.map((v) => v.id)).toEqual([
      'csv',
      'parquet-none',
      'parquet-snappy',
      'parquet-gzip',
      'parquet-snappy-plain',
      'arrow',
    ]);
    expect(r.measurements.length).toBe(5 * 3);
    expect(r.measurements.every((m) => m.matches)).toBe(true);
    const pqFilter = r.measurements.find((m) => m.variant === 'parquet-snappy' && m.pattern === 'filter')!;
    expect(pqFilter.groupsTotal).toBe(8);
    expect(pqFilter.groupsSkipped).toBe(6);
    expect(pqFilter.rowsOut).toBe(512);
    const csvSize = r.variants.find((v) => v.id === 'csv')!.bytes;
    const gz = r.variants.find((v) => v.id === 'parquet-gzip')!.bytes;
    expect(gz).toBeLessThan(csvSize);
    expect(r.convertMs).toBeGreaterThan(0);
  });
});

describe('malformed files name the problem', () => {
  const pq = writeParquet(ds, { codec: 'SNAPPY', rowGroupRows: 500, encoding: 'dictionary' });
  it('truncated Parquet footer', () => {
    expect(() => readParquetMetadata(pq.subarray(0, pq.length - 100))).toThrow(DataFormatError);
    expect(() => readParquetMetadata(pq.subarray(0, pq.length - 100))).toThrow(
      /Parquet footer missing: the file starts with "PAR1" but does not end with it/,
    );
  });
  it('a footer length larger than the file', () => {
    const bad = pq.slice();
    new DataView(bad.buffer).setUint32(bad.length - 8, bad.length * 2, true);
    expect(() => readParquetMetadata(bad)).toThrow(
      /Parquet footer truncated: its length field says \d+ bytes, but only \d+ precede it/,
    );
  });
  it('wrong magic', () => {
    const bad = pq.slice();
    bad[0] = 0x51;
    expect(() => readParquetMetadata(bad)).toThrow(
      /Not a Parquet file: it starts with bytes 51 41 52 31, not the magic "PAR1"/,
    );
  });
  it('ragged CSV rows', () => {
    const text = new TextEncoder().encode('a,b,c\n1,2,3\n4,5\n6,7,8\n');
    expect(() => parseCsv(text)).toThrow(/CSV line 3 has 2 fields; the header has 3/);
  });
  it('non-numeric CSV columns', () => {
    const text = new TextEncoder().encode('x,name\n1,ok\n2,7\n');
    expect(() => parseCsv(text)).toThrow(/Column "name" is not numeric: line 2 holds "ok"/);
    expect(parseCsv(text, { columns: ['x'] }).columns.x).toEqual(Float64Array.of(1, 2));
  });
  it('a column that does not exist', () => {
    expect(() => parseCsv(new TextEncoder().encode('a\n1\n'), { columns: ['b'] })).toThrow(/CSV has no column "b"/);
  });
  it('a truncated Arrow file', () => {
    const ar = writeArrow(ds, 500);
    expect(() => openArrow(ar.subarray(0, ar.length - 20))).toThrow(/Arrow file truncated/);
  });
});
