import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCsv } from '../../src/data/csv';
import { makeDataset } from '../../src/data/dataset';
import { inspectFile, measureFile } from '../../src/data/inspect';
import { readParquet, writeParquet } from '../../src/data/parquet';
import { arrowReader, csvReader, parquetReader } from '../../src/data/readers';
import { KillableInspector } from './killableInspector';
import { corruptCrc } from './pageCrc';

/**
 * Issue 26, item by item: files written by DuckDB and apache-arrow (test/fixtures/interop, made by
 * scripts/interop-fixtures.mjs), read as DuckDB reads them. expected.json holds what DuckDB returned
 * for each file; the numbers written out below are taken from it.
 */
const dir = 'test/fixtures/interop';
const fx = (f: string) => new Uint8Array(readFileSync(`${dir}/${f}`));
const expected = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8'));
const CODECS = ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'] as const;
const enc = new TextEncoder();
const fast = { budgetMs: 0 } as const;
const inspector = new KillableInspector();
afterAll(() => inspector.close());

describe('1. a corrupt byte in a ZSTD page ends in a named error, not an out-of-memory abort', () => {
  it('duckdb-zstd-10k.parquet with bit 2 of byte 32 (its first block header) flipped', async () => {
    const bytes = fx('duckdb-zstd-10k.parquet');
    const intact = await inspector.run(bytes, 'intact.parquet');
    expect(intact).toEqual({ kind: 'result', rows: 2500, nulls: { v: 0 } });
    bytes[32] ^= 4;
    const o = await inspector.run(bytes, 'corrupt.parquet');
    expect(o.kind).toBe('named');
    expect(o.kind === 'named' && o.message).toMatch(
      /^"corrupt.parquet": Corrupt Parquet page in column "v", row group 0, page 1 of 1: its definition levels claim \d+ bytes, past the end of the page/,
    );
  });
});

describe('2. NULLs are counted, never read as 0, and a filter drops NULL keys as SQL does', () => {
  it('Parquet (DuckDB): NULL counts from the footer; k ≥ 119.5 keeps 90 rows (DuckDB: 90), not 6,250-style NULL-as-0 counts', async () => {
    const bytes = fx('duckdb-snappy.parquet');
    const info = inspectFile(bytes, 'd.parquet');
    const nulls = Object.fromEntries(
      info.columns.filter((c) => ['k', 'd', 's'].includes(c.name)).map((c) => [c.name, c.nulls]),
    );
    expect(nulls).toEqual({ k: 60, d: 48, s: 35 });
    expect(expected.parquet.nulls).toEqual({ k: '60', d: '48', s: '35' });
    const r = parquetReader(bytes);
    const f = await r.readWhere(['id'], 'k', 119.5);
    expect(f.rows).toBe(expected.parquet.filterK);
    expect(f.rows).toBe(90);
    // A filter that every non-NULL key passes still leaves the 60 NULL keys out.
    expect((await r.readWhere(['id'], 'k', -1)).rows).toBe(240 - 60);
    // The tensor: NaN where k is NULL by default, never a silent 0.
    const full = await r.read(['k']);
    expect(full.nulls).toEqual({ k: 60 });
    expect(Array.from(full.columns.k.subarray(0, 5))).toEqual([NaN, 1, 2, 3, NaN]);
  });
  it('the fill is the user’s choice: 0, the column mean, or dropping the row', async () => {
    const bytes = fx('duckdb-snappy.parquet');
    const zero = await parquetReader(bytes, undefined, { fill: 'zero' }).read(['k']);
    expect(Array.from(zero.columns.k.subarray(0, 5))).toEqual([0, 1, 2, 3, 0]);
    const mean = await parquetReader(bytes, undefined, { fill: 'mean' }).read(['k']);
    const ks = expected.parquet.columns.k.filter((v: number | null) => v !== null) as number[];
    expect(mean.columns.k[0]).toBeCloseTo(ks.reduce((a, b) => a + b, 0) / ks.length, 9);
    const drop = await parquetReader(bytes, undefined, { fill: 'drop' }).read(['k', 'd']);
    // Rows where neither k nor d is NULL (k: i % 4 = 0, d: i % 5 = 0): 240 − 60 − 48 + 12.
    expect(drop.rows).toBe(144);
  });
  it('Arrow (apache-arrow): NULL counts from the batches; k ≥ 50 keeps 38 rows (DuckDB on the same values: 38)', async () => {
    for (const f of ['arrowjs.arrow', 'arrowjs-stream.arrows']) {
      const bytes = fx(f);
      const info = inspectFile(bytes, f);
      expect(info.columns.filter((c) => c.name === 'k' || c.name === 'x').map((c) => c.nulls)).toEqual([25, 10]);
      const out = await arrowReader(bytes).readWhere(['id'], 'k', 50);
      expect(out.rows).toBe(expected.arrow.filterK);
      const x = await arrowReader(bytes).read(['x']);
      expect(x.nulls.x).toBe(10);
      expect(Number.isNaN(x.columns.x[3])).toBe(true);
      expect(x.columns.x[4]).toBe(1);
    }
  });
  it('the lab’s measurement reports NULL counts and the filter count on a nullable key', async () => {
    const bytes = enc.encode('k,v\n1,10\n,20\n3,\n4,40\n,50\n');
    const info = inspectFile(bytes, 'n.csv');
    expect(info.columns.map((c) => c.nulls)).toEqual([2, 1]);
    const m = (await measureFile(bytes, info, undefined, fast))!;
    expect(m.nulls).toEqual({ k: 2, v: 1 });
    // key k, cut at (1 + 4) / 2: rows with k = 3, 4 (NULL keys out), in CSV and in the converted Parquet.
    expect(m.measurements.filter((x) => x.pattern === 'filter').map((x) => x.rowsOut)).toEqual([2, 2]);
    expect(m.measurements.every((x) => x.matches)).toBe(true);
  });
});

describe('3. Arrow Utf8 and Bool columns are typed as declared, never bytes in a tensor', () => {
  it('apache-arrow file: name (Utf8), flag (Bool), tag (dictionary) listed as such and left out', () => {
    const info = inspectFile(fx('arrowjs.arrow'), 'a.arrow');
    expect(info.columns.map((c) => `${c.name}:${c.type}:${c.numeric}`)).toEqual([
      'id:int32:true',
      'k:int32:true',
      'x:float64:true',
      'name:string:false',
      'flag:bool:false',
      'tag:dictionary<string>:false',
      'n64:int64:true',
    ]);
  });
  it('reading a Utf8 column as numbers is refused by name', async () => {
    await expect(arrowReader(fx('arrowjs.arrow')).read(['name'])).rejects.toThrow(
      /Arrow column "name" is string, not a number/,
    );
  });
  it('Int64 values arrive exact', async () => {
    const out = await arrowReader(fx('arrowjs.arrow')).read(['n64']);
    expect(Array.from(out.columns.n64.subarray(0, 3))).toEqual([-50, -47, -44]);
  });
});

describe('4. unsigned and 64-bit integers keep their values', () => {
  it('UINT32 near 4e9 reads as DuckDB reads it, and the midpoint filter keeps 120 rows (DuckDB: 120)', async () => {
    const bytes = fx('duckdb-snappy.parquet');
    const info = inspectFile(bytes, 'd.parquet');
    const u32 = info.columns.find((c) => c.name === 'u32')!;
    expect([u32.type, u32.min, u32.max]).toEqual(['uint32', 3999761000, 4000000000]);
    const out = await parquetReader(bytes).readWhere(['u32'], 'u32', (u32.min! + u32.max!) / 2);
    expect(out.rows).toBe(expected.parquet.filterU32);
    expect(out.columns.u32[0]).toBe(4000000000);
  });
  it('INT64 past 2^53 is named, in the schema and on read', async () => {
    const bytes = fx('duckdb-int64-big.parquet');
    const big = inspectFile(bytes, 'big.parquet').columns.find((c) => c.name === 'big')!;
    expect(big.numeric).toBe(false);
    expect(big.note).toMatch(/past 2\^53/);
    expect(expected.int64Big[0]).toBe('9007199254740993');
    await expect(readParquet(bytes, { columns: ['big'] })).rejects.toThrow(
      /Column "big" \(int64\) holds 9007199254740993 in row 0, past 2\^53/,
    );
  });
});

describe('5. nested LIST/STRUCT columns are listed as nested and skipped; the flat columns are read', () => {
  it('DuckDB file with lst INTEGER[] and st STRUCT(a, b)', async () => {
    const bytes = fx('duckdb-zstd.parquet');
    const info = inspectFile(bytes, 'n.parquet');
    expect(info.columns.map((c) => c.name)).toEqual([
      'id',
      'k',
      'i8',
      'u8',
      'u16',
      'u32',
      'i64',
      'u64',
      'f',
      'd',
      'b',
      's',
      'dt',
      'ts',
      'lst',
      'st',
    ]);
    const lst = info.columns.find((c) => c.name === 'lst')!;
    const st = info.columns.find((c) => c.name === 'st')!;
    expect([lst.type, lst.kind, lst.numeric]).toEqual(['list<int64>', 'nested', false]);
    expect([st.type, st.kind]).toEqual(['struct<a, b>', 'nested']);
    expect(info.notes.join(' ')).toMatch(/Nested columns "lst" \(list<int64>\), "st" \(struct<a, b>\) skipped by name/);
    expect(info.columns.filter((c) => c.numeric).map((c) => c.name)).toEqual([
      'id',
      'k',
      'i8',
      'u8',
      'u16',
      'u32',
      'i64',
      'u64',
      'f',
      'd',
    ]);
    const m = (await measureFile(bytes, info, undefined, fast))!;
    expect(m.all).toHaveLength(10);
    expect(m.measurements.every((x) => x.matches)).toBe(true);
  });
});

describe('6. corrupt pages are refused: checksums and offsets are checked', () => {
  const ds = makeDataset({ rows: 400, features: 2, seed: 5 });
  it('gzip: a flipped byte inside the deflate data fails the CRC-32 (or the inflate) and is named by page', async () => {
    const bytes = fx('duckdb-gzip.parquet');
    const meta = inspectFile(bytes, 'g.parquet');
    expect(meta.codecs).toEqual(['GZIP']);
    // Every gzip member in the file: flip one byte in the middle of each, one at a time.
    let refused = 0;
    let gzipRefused = 0;
    let members = 0;
    for (let i = 0; i + 2 < bytes.length; i++) {
      if (!(bytes[i] === 0x1f && bytes[i + 1] === 0x8b && bytes[i + 2] === 8)) continue;
      members++;
      const b = bytes.slice();
      b[i + 14] ^= 0x10;
      const err = await readParquet(b).then(
        () => null,
        (e: Error) => e.message,
      );
      // Named by place in every case; in a tiny page byte 14 may already be the next page's header.
      expect(err).toMatch(/^Corrupt Parquet page in column "\w+", row group 0, page \d+ of \d+: /);
      if (/gzip data cannot be decompressed/.test(err!)) gzipRefused++;
      refused++;
    }
    expect(members).toBeGreaterThan(10);
    expect(refused).toBe(members);
    expect(gzipRefused).toBeGreaterThan(members / 2);
  });
  it('snappy: a back-reference before the start of the page is refused', async () => {
    const bytes = writeParquet(ds, { codec: 'SNAPPY', rowGroupRows: 400, encoding: 'plain' });
    const meta = inspectFile(bytes, 's.parquet');
    expect(meta.codecs).toEqual(['SNAPPY']);
    // The id column's page: its snappy stream starts after the page header; find its first copy tag.
    const r = await readParquet(bytes, { columns: ['id'] });
    expect(r.rows).toBe(400);
    let found = false;
    for (let at = 4; at < 200 && !found; at++) {
      const b = bytes.slice();
      // A 2-byte-offset copy (tag kind 2) pointing 65535 bytes back, written over each position in turn until one is reached.
      b[at] = (3 << 2) | 2;
      b[at + 1] = 0xff;
      b[at + 2] = 0xff;
      try {
        await readParquet(b, { columns: ['id'] });
      } catch (e) {
        if (/snappy back-reference points 65535 bytes back/.test((e as Error).message)) found = true;
      }
    }
    expect(found).toBe(true);
  });
  it('a page CRC that does not match its bytes is refused', async () => {
    // Our writer stores no page CRC; DuckDB neither. Insert one: page header field 4 (i32) with a wrong value.
    const bytes = fx('duckdb-uncompressed.parquet');
    const ok = await readParquet(bytes, { columns: ['id'] });
    expect(ok.rows).toBe(240);
    const bad = corruptCrc(bytes, 'id');
    await expect(readParquet(bad.bytes, { columns: ['id'], meta: bad.meta })).rejects.toThrow(
      /Corrupt Parquet page in column "id", row group 0, page 1: its CRC-32 does not match its bytes/,
    );
    const good = corruptCrc(bytes, 'id', true);
    const r = await readParquet(good.bytes, { columns: ['id'], meta: good.meta });
    expect(Array.from(r.columns.id as Int32Array)).toEqual(expected.parquet.columns.id);
  });
  it('a page header claiming more bytes than its column chunk is refused by place', async () => {
    const bytes = writeParquet(ds, { codec: 'UNCOMPRESSED', rowGroupRows: 200, encoding: 'plain' });
    const info = inspectFile(bytes, 'p.parquet');
    expect(info.groups).toHaveLength(2);
    // The first page header is at byte 4: field 3 (compressed size, i32 zigzag varint) follows field 2.
    const b = bytes.slice();
    // Field header bytes: 0x15 (type) , 0x15 (uncompressed) …, 0x15 (compressed): make the compressed size huge.
    let at = 5;
    at += 1; // type value (1 byte)
    while (b[at] !== 0x15) at++;
    at++;
    while (b[at] & 0x80) at++;
    at++;
    expect(b[at]).toBe(0x15);
    b[at + 1] = 0xfe;
    b[at + 2] = 0xff;
    b[at + 3] = 0x7f;
    await expect(readParquet(b, { columns: ['id'] })).rejects.toThrow(
      /Corrupt Parquet page in column "id", row group 0, page 1: its header says \d+ bytes, past the end of the column chunk/,
    );
  });
});

describe('7. CSV rows are counted by the parser', () => {
  it.each([
    ['no-final-newline.csv', 2],
    ['quoted-newline.csv', 2],
    ['header-only.csv', 0],
    ['bom-crlf.csv', 3],
  ])('%s: %i rows (DuckDB)', (f, rows) => {
    expect(expected.csv[f].rows).toBe(rows);
    expect(inspectFile(fx(f), f).rows).toBe(rows);
  });
  it('rows/s is computed from the parser’s count', async () => {
    const bytes = writeCsv(makeDataset({ rows: 300, features: 1, seed: 1 }));
    const cut = bytes.subarray(0, bytes.length - 1); // no final newline
    const info = inspectFile(cut, 'c.csv');
    expect(info.rows).toBe(300);
    const m = (await measureFile(cut, info, undefined, fast))!;
    const full = m.measurements.find((x) => x.variant === 'csv' && x.pattern === 'full')!;
    expect(full.rowsPerS).toBeCloseTo((300 / full.ms) * 1000, 6);
  });
});

describe('8. CSV numbers follow DuckDB’s grammar; an empty field is NULL', () => {
  const kind = (f: string) => inspectFile(fx(f), f).columns.map((c) => `${c.name}:${c.numeric ? 'number' : 'text'}`);
  const duck = (f: string) =>
    (expected.csv[f].types as string[]).map((t) =>
      t.replace(/:(BIGINT|DOUBLE)$/, ':number').replace(/:VARCHAR$/, ':text'),
    );
  it.each([
    'number-grammar.csv',
    'empty-field.csv',
    'semicolon.csv',
    'bom-crlf.csv',
    'quoted-newline.csv',
    'tabs.tsv',
    'pipe.csv',
    'no-final-newline.csv',
  ])('%s: column kinds as DuckDB sniffs them', (f) => {
    expect(kind(f)).toEqual(duck(f));
  });
  it('number-grammar.csv: " " and Infinity are text; 0x10 and 0b11 are integers (DuckDB: 16, 3)', async () => {
    expect(kind('number-grammar.csv')).toEqual(['hex:number', 'space:text', 'bin:number', 'inf:text', 'ok:number']);
    const t = await csvReader(fx('number-grammar.csv')).read(['hex', 'bin', 'ok']);
    expect([Array.from(t.columns.hex), Array.from(t.columns.bin), Array.from(t.columns.ok)]).toEqual([
      [16, 2],
      [3, 3],
      [1500, -0.5],
    ]);
  });
  it('empty-field.csv: empty fields are NULLs of numeric columns, as DuckDB reads them', async () => {
    const info = inspectFile(fx('empty-field.csv'), 'e.csv');
    expect(info.columns.map((c) => [c.type, c.nulls])).toEqual([
      ['number', 1],
      ['number', 1],
    ]);
    const t = await csvReader(fx('empty-field.csv')).read(['a', 'b']);
    const want = expected.csv['empty-field.csv'].data as { a: string | null; b: string | null }[];
    expect(Array.from(t.columns.a)).toEqual(want.map((r) => (r.a === null ? NaN : +r.a)));
    expect(Array.from(t.columns.b)).toEqual(want.map((r) => (r.b === null ? NaN : +r.b)));
  });
  it('Infinity: inspect and the Parquet conversion agree (text in both)', async () => {
    const bytes = enc.encode('x,y\n1,Infinity\n2,3\n');
    const info = inspectFile(bytes, 'i.csv');
    expect(info.columns.map((c) => c.numeric)).toEqual([true, false]);
    const m = (await measureFile(bytes, info, undefined, fast))!;
    expect(m.all).toEqual(['x']);
    expect(m.measurements.every((x) => x.matches)).toBe(true);
  });
});

describe('9. messages name the file, the place and the problem, never the library’s internals', () => {
  it('a corrupt footer is not "thrift unhandled type"', () => {
    const bytes = fx('duckdb-snappy.parquet');
    const len = new DataView(bytes.buffer).getUint32(bytes.length - 8, true);
    // A thrift field header of type 13 (map) written over each of the footer's first 64 bytes in turn.
    const messages = new Set<string>();
    for (let i = 0; i < 64; i++) {
      const b = bytes.slice();
      b[bytes.length - 8 - len + i] = 0x1d;
      try {
        inspectFile(b, 'f.parquet');
      } catch (e) {
        messages.add((e as Error).message);
      }
    }
    expect(messages.size).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m).toMatch(/^"f\.parquet": Parquet footer corrupt/);
      expect(m).not.toMatch(/thrift|undefined|reading '/);
    }
  });
  it('an out-of-range codec value is named as such, not "reading \'toLowerCase\'"', () => {
    const bytes = fx('duckdb-snappy.parquet');
    const len = new DataView(bytes.buffer).getUint32(bytes.length - 8, true);
    const footer = bytes.length - 8 - len;
    const b = bytes.slice();
    const name = enc.encode('u32');
    let at = footer;
    while (!(name.every((x, k) => b[at + k] === x) && b[at + name.length] === 0x15)) at++;
    b[at + name.length + 1] = 2 * 19; // codec 19: Parquet defines 0–7
    expect(() => inspectFile(b, 'c.parquet')).toThrow(
      /^"c\.parquet": Parquet footer corrupt: row group 0, column "u32" names a compression codec Parquet does not define/,
    );
  });
  it('ZSTD, Brotli and LZ4 files are labelled with their codec, in the schema and the measurement rows', async () => {
    for (const c of CODECS) {
      const bytes = fx(`duckdb-${c}.parquet`);
      const info = inspectFile(bytes, `${c}.parquet`);
      expect(info.codecs).toEqual(expected.parquet.codecs[c]);
      const m = (await measureFile(bytes, info, undefined, fast))!;
      expect(m.measurements[0].compression).toBe(c === 'uncompressed' ? 'none' : c === 'lz4' ? 'lz4_raw' : c);
    }
  });
});

describe('10. TSV is split on tabs; a 0-row file shows no NaN filter', () => {
  it('tabs.tsv: three columns, delimiter named', async () => {
    const info = inspectFile(fx('tabs.tsv'), 't.tsv');
    expect(info.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(info.delimiter).toBe('tab');
    expect(expected.csv['tabs.tsv'].delimiter).toBe('\t');
    const m = (await measureFile(fx('tabs.tsv'), info, undefined, fast))!;
    expect(m.all).toEqual(['a', 'b', 'c']);
    const t = await csvReader(fx('tabs.tsv')).read(['c']);
    expect(Array.from(t.columns.c)).toEqual([3, 6]);
  });
  it('semicolon and pipe files are sniffed too (a comma inside a semicolon file is data)', () => {
    expect(inspectFile(fx('semicolon.csv'), 's.csv').delimiter).toBe('semicolon');
    expect(inspectFile(fx('pipe.csv'), 'p.csv').delimiter).toBe('pipe');
  });
  it('header-only.csv: 0 rows, nothing measured, no "≥ NaN"', async () => {
    const info = inspectFile(fx('header-only.csv'), 'h.csv');
    expect(info.rows).toBe(0);
    const m = await measureFile(fx('header-only.csv'), info, undefined, fast).catch((e: Error) => e);
    expect(m === null || (m instanceof Error && /no numeric column|no rows/.test(m.message))).toBe(true);
    expect(JSON.stringify(m ?? {})).not.toMatch(/NaN/);
  });
});

describe('interop: every codec and type DuckDB writes, value for value', () => {
  it.each(CODECS)('duckdb-%s.parquet', async (c) => {
    const bytes = fx(`duckdb-${c}.parquet`);
    const info = inspectFile(bytes, `${c}.parquet`);
    expect(info.rows).toBe(expected.parquet.rows);
    expect(info.columns.map((x) => `${x.name}:${x.type}`)).toEqual([
      'id:int32',
      'k:int32',
      'i8:int8',
      'u8:uint8',
      'u16:uint16',
      'u32:uint32',
      'i64:int64',
      'u64:uint64',
      'f:float32',
      'd:float64',
      'b:bool',
      's:string',
      'dt:date',
      'ts:timestamp[micros]',
      'lst:list<int64>',
      'st:struct<a, b>',
    ]);
    const names = Object.keys(expected.parquet.columns);
    const r = await readParquet(bytes, { columns: names });
    for (const n of names) {
      const want = expected.parquet.columns[n] as (number | null)[];
      const col = r.columns[n] as ArrayLike<number>;
      const valid = r.valid[n];
      const got = Array.from({ length: r.rows }, (_, i) => (valid && !valid[i] ? null : col[i]));
      expect(got, n).toEqual(want);
    }
    const s = await readParquet(bytes, { columns: ['s'] });
    const sv = s.valid.s!;
    expect(Array.from((s.columns.s as unknown[]).slice(0, 8), (v, i) => (sv[i] ? v : null))).toEqual(
      expected.parquet.strings,
    );
  });
});
