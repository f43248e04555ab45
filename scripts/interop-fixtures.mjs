#!/usr/bin/env node
/**
 * Writes test/fixtures/interop/: small files written by tools other than ours (DuckDB for Parquet,
 * apache-arrow for Arrow IPC), plus what DuckDB reads back from each (expected.json), so the
 * data-formats readers are checked value for value against files we did not write.
 *
 * Needs two packages that are NOT project dependencies; install them outside the repo first:
 *   mkdir -p /tmp/fx && cd /tmp/fx && npm init -y && npm install --no-save @duckdb/node-api apache-arrow
 *   NODE_PATH=/tmp/fx/node_modules node scripts/interop-fixtures.mjs
 * (The CSV fixtures are text written here; their expected values are what DuckDB's read_csv makes of them.)
 */
import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(join(process.env.NODE_PATH ?? '/tmp/fx/node_modules', 'x.js'));
const { DuckDBInstance } = require('@duckdb/node-api');
const arrow = require('apache-arrow');

const out = resolve(import.meta.dirname, '../test/fixtures/interop');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

// 240 rows in two row groups (DuckDB's ROW_GROUP_SIZE is in rows, rounded to its 2048-row vectors,
// so two files are concatenated by row_group boundaries via PER_THREAD_OUTPUT off and a UNION).
await con.run(`CREATE TABLE t AS SELECT
  i::INTEGER AS id,
  CASE WHEN i % 4 = 0 THEN NULL ELSE i END::INTEGER AS k,
  (i % 200 - 100)::TINYINT AS i8,
  (i % 250)::UTINYINT AS u8,
  (i * 250)::USMALLINT AS u16,
  (4000000000 - i * 1000)::UINTEGER AS u32,
  (i * 1000003 - 100000000)::BIGINT AS i64,
  (i * 7)::UBIGINT AS u64,
  (i / 8)::FLOAT AS f,
  CASE WHEN i % 5 = 0 THEN NULL ELSE i * 0.5 END::DOUBLE AS d,
  (i % 3 = 0) AS b,
  CASE WHEN i % 7 = 0 THEN NULL ELSE ['red', 'green', 'blue'][1 + i % 3] END AS s,
  (DATE '2024-01-01' + i::INTEGER) AS dt,
  (TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE) AS ts,
  [i, i + 1] AS lst,
  {'a': i, 'b': 'x' || i} AS st
FROM range(240) r(i)`);

const codecs = ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'];
for (const c of codecs)
  await con.run(`COPY t TO '${out}/duckdb-${c}.parquet' (FORMAT parquet, COMPRESSION ${c}, ROW_GROUP_SIZE 120)`);
// An INT64 past 2^53, which a float64 tensor cannot hold exactly.
await con.run(
  `COPY (SELECT i::INTEGER AS id, (9007199254740993 + i)::BIGINT AS big FROM range(4) r(i)) TO '${out}/duckdb-int64-big.parquet' (FORMAT parquet)`,
);
// A ZSTD file of about 10 KB: one flat non-null column the crash reproduction corrupts.
await con.run(
  `COPY (SELECT (i * 2654435761 % 1000003)::INTEGER AS v FROM range(2500) r(i)) TO '${out}/duckdb-zstd-10k.parquet' (FORMAT parquet, COMPRESSION zstd)`,
);

const expected = {};
const pq = `${out}/duckdb-snappy.parquet`;
expected.parquet = {
  rows: (await rows(`SELECT count(*)::INTEGER AS n FROM '${pq}'`))[0].n,
  groups: (await rows(`SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata('${pq}')`))[0].n,
  codecs: Object.fromEntries(
    await Promise.all(
      codecs.map(async (c) => [
        c,
        (await rows(`SELECT DISTINCT compression FROM parquet_metadata('${out}/duckdb-${c}.parquet')`)).map(
          (r) => r.compression,
        ),
      ]),
    ),
  ),
  nulls: (
    await rows(`SELECT count(*) - count(k) AS k, count(*) - count(d) AS d, count(*) - count(s) AS s FROM '${pq}'`)
  )[0],
  // The filter the lab runs on a nullable key: SQL drops NULL keys.
  filterK: (await rows(`SELECT count(*)::INTEGER AS n FROM '${pq}' WHERE k >= 119.5`))[0].n,
  filterU32: (
    await rows(
      `SELECT count(*)::INTEGER AS n FROM '${pq}' WHERE u32 >= (SELECT (min(u32)::DOUBLE + max(u32)::DOUBLE) / 2 FROM '${pq}')`,
    )
  )[0].n,
  columns: {},
};
for (const col of ['id', 'k', 'i8', 'u8', 'u16', 'u32', 'i64', 'u64', 'f', 'd'])
  expected.parquet.columns[col] = (await rows(`SELECT ${col}::DOUBLE AS v FROM '${pq}' ORDER BY id`)).map((r) =>
    r.v === null ? null : Number(r.v),
  );
expected.parquet.strings = (await rows(`SELECT s FROM '${pq}' ORDER BY id LIMIT 8`)).map((r) => r.s);
expected.parquet.types = (await rows(`DESCRIBE SELECT * FROM '${pq}'`)).map((r) => `${r.column_name}:${r.column_type}`);
expected.int64Big = (await rows(`SELECT big::VARCHAR AS v FROM '${out}/duckdb-int64-big.parquet'`)).map((r) => r.v);

// Arrow IPC written by apache-arrow: Utf8, Bool, nullable ints and floats, a dictionary, an Int64.
const n = 100;
const vec = (type, values) => arrow.vectorFromArray(values, type);
const table = new arrow.Table({
  id: vec(
    new arrow.Int32(),
    Array.from({ length: n }, (_, i) => i),
  ),
  k: vec(
    new arrow.Int32(),
    Array.from({ length: n }, (_, i) => (i % 4 === 0 ? null : i)),
  ),
  x: vec(
    new arrow.Float64(),
    Array.from({ length: n }, (_, i) => (i % 10 === 3 ? null : i / 4)),
  ),
  name: vec(
    new arrow.Utf8(),
    Array.from({ length: n }, (_, i) => `s${i}`),
  ),
  flag: vec(
    new arrow.Bool(),
    Array.from({ length: n }, (_, i) => i % 2 === 0),
  ),
  tag: vec(
    new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
    Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][i % 3]),
  ),
  n64: vec(
    new arrow.Int64(),
    Array.from({ length: n }, (_, i) => BigInt(i * 3 - 50)),
  ),
});
writeFileSync(`${out}/arrowjs.arrow`, arrow.tableToIPC(table, 'file'));
writeFileSync(`${out}/arrowjs-stream.arrows`, arrow.tableToIPC(table, 'stream'));
await con.run(
  `CREATE TABLE a AS SELECT i AS id, CASE WHEN i % 4 = 0 THEN NULL ELSE i END AS k, CASE WHEN i % 10 = 3 THEN NULL ELSE i / 4 END AS x FROM range(${n}) r(i)`,
);
expected.arrow = {
  rows: n,
  nulls: (await rows(`SELECT count(*) - count(k) AS k, count(*) - count(x) AS x FROM a`))[0],
  filterK: (await rows(`SELECT count(*)::INTEGER AS n FROM a WHERE k >= 50`))[0].n,
};

// CSV: text as people write it; DuckDB's read_csv (auto-detect) says what it holds.
const csv = {
  'no-final-newline.csv': 'a,b\n1,2\n3,4',
  'quoted-newline.csv': 'a,b\n1,"two\nlines"\n3,x\n',
  'header-only.csv': 'a,b\n',
  'empty-field.csv': 'a,b\n1,\n2,5\n,6\n',
  'number-grammar.csv': 'hex,space,bin,inf,ok\n0x10,1,0b11,Infinity,1.5e3\n2, ,3,4,-.5\n',
  'tabs.tsv': 'a\tb\tc\n1\t2\t3\n4\t5\t6\n',
  'semicolon.csv': 'a;b\n1,5;2\n3;4\n',
  'pipe.csv': 'a|b|c\n1|2|3\n',
  'bom-crlf.csv': '\uFEFFid,v\r\n1,10\r\n2,\r\n3,30\r\n',
};
expected.csv = {};
for (const [name, text] of Object.entries(csv)) {
  writeFileSync(`${out}/${name}`, text);
  const f = `${out}/${name}`;
  const types = (await rows(`DESCRIBE SELECT * FROM read_csv('${f}')`)).map((r) => `${r.column_name}:${r.column_type}`);
  const data = await rows(`SELECT * FROM read_csv('${f}')`);
  const sniff = (await rows(`SELECT Delimiter AS d FROM sniff_csv('${f}')`))[0]?.d ?? null;
  expected.csv[name] = { types, rows: data.length, data, delimiter: sniff };
}
writeFileSync(`${out}/expected.json`, JSON.stringify(expected, null, 1) + '\n');
for (const f of readdirSync(out).sort()) console.log(f);
