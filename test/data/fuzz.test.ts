import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeArrow } from '../../src/data/arrow';
import { writeCsv } from '../../src/data/csv';
import { makeDataset } from '../../src/data/dataset';
import { readParquetMetadata, writeParquet } from '../../src/data/parquet';
import { mulberry32 } from '../../src/kernels/random';
import { KillableInspector, type Outcome } from './killableInspector';

/**
 * Mutated files through the real inspect path (inspect, then every numeric column read once) in a
 * worker thread with a 192 MB heap and a 4 s limit per case: every case must end in a result or a
 * named DataFormatError. A crash (out of memory, abort), a hang, or a TypeError/RangeError leaking
 * out fails. Seeded: the same 520 cases every run.
 */
const fx = (f: string) => new Uint8Array(readFileSync(`test/fixtures/interop/${f}`));
const ds = makeDataset({ rows: 600, features: 3, seed: 9 });
const bases: { name: string; bytes: Uint8Array }[] = [
  { name: 'zstd.parquet', bytes: fx('duckdb-zstd-10k.parquet') },
  { name: 'zstd-types.parquet', bytes: fx('duckdb-zstd.parquet') },
  { name: 'gzip.parquet', bytes: fx('duckdb-gzip.parquet') },
  { name: 'snappy.parquet', bytes: fx('duckdb-snappy.parquet') },
  { name: 'brotli.parquet', bytes: fx('duckdb-brotli.parquet') },
  { name: 'lz4.parquet', bytes: fx('duckdb-lz4.parquet') },
  { name: 'plain.parquet', bytes: fx('duckdb-uncompressed.parquet') },
  { name: 'ours-gzip.parquet', bytes: writeParquet(ds, { codec: 'GZIP', rowGroupRows: 200, encoding: 'dictionary' }) },
  { name: 'ours-snappy.parquet', bytes: writeParquet(ds, { codec: 'SNAPPY', rowGroupRows: 300, encoding: 'plain' }) },
  { name: 'arrowjs.arrow', bytes: fx('arrowjs.arrow') },
  { name: 'arrowjs.arrows', bytes: fx('arrowjs-stream.arrows') },
  { name: 'ours.arrow', bytes: writeArrow(ds, 200) },
  { name: 'ours.csv', bytes: writeCsv(makeDataset({ rows: 80, features: 2, seed: 3 })) },
  { name: 'empty-field.csv', bytes: fx('empty-field.csv') },
  { name: 'tabs.tsv', bytes: fx('tabs.tsv') },
  { name: 'bom-crlf.csv', bytes: fx('bom-crlf.csv') },
];

type Mutation = { kind: string; bytes: Uint8Array };

function mutate(base: Uint8Array, name: string, rnd: () => number): Mutation {
  const b = base.slice();
  const at = (lo = 0, hi = b.length) => lo + Math.floor(rnd() * (hi - lo));
  const parquet = name.endsWith('.parquet');
  const r = rnd();
  if (r < 0.3) {
    const flips = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < flips; i++) b[at()] ^= 1 << Math.floor(rnd() * 8);
    return { kind: 'bit flips', bytes: b };
  }
  if (r < 0.45) {
    return { kind: 'cut', bytes: b.subarray(0, at(1, b.length)) };
  }
  if (parquet && r < 0.55) {
    // The footer length lies (by a little or a lot).
    const dv = new DataView(b.buffer, b.byteOffset);
    const len = dv.getUint32(b.length - 8, true);
    dv.setUint32(b.length - 8, rnd() < 0.5 ? len + Math.floor((rnd() - 0.5) * 64) : Math.floor(rnd() * 2 ** 32), true);
    return { kind: 'footer length', bytes: b };
  }
  if (parquet && r < 0.7) {
    // A column chunk's codec value: the i32 field 4 (byte 0x15) after its path in the footer.
    const meta = readParquetMetadata(base);
    const len = new DataView(b.buffer, b.byteOffset).getUint32(b.length - 8, true);
    const footer = b.length - 8 - len;
    const names = meta.row_groups[0].columns.map((c) => c.meta_data!.path_in_schema.at(-1)!);
    const pick = names[Math.floor(rnd() * names.length)];
    const enc = new TextEncoder().encode(pick);
    for (let i = footer; i < b.length - 8 - enc.length; i++) {
      if (enc.every((x, k) => b[i + k] === x) && b[i + enc.length] === 0x15) {
        b[i + enc.length + 1] = 2 * Math.floor(rnd() * 24); // zigzag of 0..23: 0–7 are codecs, the rest undefined
        return { kind: 'codec value', bytes: b };
      }
    }
    b[at(footer)] ^= 0xff;
    return { kind: 'footer byte', bytes: b };
  }
  if (parquet && r < 0.85) {
    // Bytes of a page header or the page right after it.
    const meta = readParquetMetadata(base);
    const g = meta.row_groups[Math.floor(rnd() * meta.row_groups.length)];
    const c = g.columns[Math.floor(rnd() * g.columns.length)].meta_data!;
    const start = Number(c.dictionary_page_offset ?? c.data_page_offset);
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) b[Math.min(b.length - 9, start + Math.floor(rnd() * 40))] = Math.floor(rnd() * 256);
    return { kind: 'page header', bytes: b };
  }
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) b[at()] = Math.floor(rnd() * 256);
  return { kind: 'random bytes', bytes: b };
}

const CASES = 520;
const inspector = new KillableInspector();
afterAll(() => inspector.close());

describe('fuzz: mutated Parquet, Arrow and CSV files through the inspect path in a killable worker', () => {
  it(`${CASES} seeded mutations: each ends in a result or a named error; no crash, hang or TypeError`, async () => {
    const rnd = mulberry32(2026);
    const tally: Record<string, number> = { result: 0, named: 0, unnamed: 0, crash: 0, hang: 0 };
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const base = bases[i % bases.length];
      const m = mutate(base.bytes, base.name, rnd);
      const o: Outcome = await inspector.run(m.bytes, base.name);
      tally[o.kind]++;
      if (o.kind === 'unnamed' || o.kind === 'crash' || o.kind === 'hang') {
        // FUZZ_DUMP=dir keeps the failing files for a closer look.
        if (process.env.FUZZ_DUMP) writeFileSync(`${process.env.FUZZ_DUMP}/case-${i}-${base.name}`, m.bytes);
        failures.push(
          `case ${i} ${base.name} (${m.kind}): ${o.kind}${'message' in o ? ` ${'error' in o ? o.error + ': ' : ''}${o.message}` : ''}`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(tally.result + tally.named).toBe(CASES);
    // Both outcomes occur: the mutations reach past the magic checks into the pages.
    expect(tally.named).toBeGreaterThan(CASES / 10);
    expect(tally.result).toBeGreaterThan(CASES / 10);
  }, 120_000);
});
