import { isArrowFile, isArrowStream, openArrow } from './arrow';
import { dsvFormat } from 'd3-dsv';
import type { FileMetaData } from 'hyparquet';
import { arrowKind } from './arrow';
import { csvColumnKinds, csvText, csvToTable, DELIMITER_NAME, type CsvDelimiter } from './csv';
import { DataFormatError, withFile } from './errors';
import type { NullFill } from './nulls';
import { measureReaders, timeBest, type Compression, type Measurement } from './measure';
import { isNumericKind, parquetFields, readParquetMetadata, writeParquet, type ValueKind } from './parquet';
import type { ParquetSample } from './parquetSample';
import { arrowReader, csvReader, parquetReader, type FileFormat, type FormatReader } from './readers';

/** CSV and Arrow files are read whole into the tab (never uploaded); past this size the page would struggle. Parquet past it is sampled. */
export const MAX_FILE_BYTES = 256 * 2 ** 20;

export function checkFileSize(size: number, name: string, maxBytes = MAX_FILE_BYTES): void {
  if (size > maxBytes)
    throw new DataFormatError(
      `"${name}" is ${(size / 2 ** 20).toFixed(0)} MB; this lab reads CSV and Arrow files up to ${(maxBytes / 2 ** 20).toFixed(0)} MB inside the tab (nothing is uploaded), and Parquet files of any size by their footer and first row groups. Try a sample of it (the first lines of a CSV), or convert it to Parquet.`,
    );
  if (size === 0) throw new DataFormatError(`"${name}" is empty (0 bytes).`);
}

export interface ColumnInfo {
  name: string;
  /** The type as the file declares it (Parquet/Arrow: uint32, string, date, list<int64>, …) or as CSV text reads (number, text). */
  type: string;
  kind: ValueKind;
  /** Can become a tensor column: an integer or float type (64-bit only where its values fit 2^53). */
  numeric: boolean;
  /** NULLs in the whole column: from Parquet statistics or Arrow batch headers, counted in CSV; null when the file does not say (then counted by the first read). */
  nulls: number | null;
  min: number | null;
  max: number | null;
  /** Parquet: encodings and codec of the first row group's chunk. */
  encodings?: string;
  compression?: string;
  /** Why a column is left out of the measurements. */
  note?: string;
}

export interface FileInfo {
  name: string;
  format: FileFormat;
  bytes: number;
  rows: number;
  columns: ColumnInfo[];
  /** Parquet row groups (rows, compressed bytes) or Arrow record batches (rows). */
  groups: { rows: number; bytes: number | null }[];
  codecs: string[];
  notes: string[];
  /** A Parquet file larger than the tab reads whole: what was read of it (sampleParquet). */
  sample?: { groups: number; rows: number; bytes: number };
  /** CSV: the delimiter sniffed from its first lines (comma, tab, semicolon or pipe). */
  delimiter?: string;
}

const lower = (s: string) => s.toLowerCase();

/** Decides the format from the bytes (magic numbers), and rejects names the bytes contradict. */
export function detectFormat(bytes: Uint8Array, name: string): FileFormat {
  const magic = (s: string) => [...s].every((c, i) => bytes[i] === c.charCodeAt(0));
  if (magic('PAR1')) return 'parquet';
  if (isArrowFile(bytes) || isArrowStream(bytes)) return 'arrow';
  const n = lower(name);
  const hex = [...bytes.subarray(0, 4)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
  if (n.endsWith('.parquet') || n.endsWith('.pq'))
    throw new DataFormatError(`Not a Parquet file: "${name}" starts with bytes ${hex}, not the magic "PAR1".`);
  if (n.endsWith('.arrow') || n.endsWith('.feather') || n.endsWith('.ipc'))
    throw new DataFormatError(
      `Not an Arrow IPC file: "${name}" starts with bytes ${hex}, not "ARROW1" or a stream message.`,
    );
  const head = bytes.subarray(0, 4096);
  if (head.includes(0))
    throw new DataFormatError(
      `"${name}" is binary but neither Parquet ("PAR1") nor Arrow ("ARROW1"): not CSV text either.`,
    );
  return 'csv';
}

const MAX_SAFE = 2 ** 53;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);

function leftOut(kind: ValueKind, display: string): string {
  if (kind === 'nested') return `nested (${display}): skipped by name; the flat columns are read`;
  if (kind === 'bool') return 'boolean: left out of the tensor (not cast to 0/1)';
  if (kind === 'date' || kind === 'timestamp' || kind === 'time')
    return `${display}: a date/time, left out of the tensor`;
  return `${display} is not a number: left out of the tensor`;
}

/** Parquet columns from the footer: declared types, NULL counts and min/max from the statistics. */
function parquetColumnInfo(meta: FileMetaData): ColumnInfo[] {
  return parquetFields(meta).map((f) => {
    if (f.kind === 'nested')
      return {
        name: f.name,
        type: f.display,
        kind: f.kind,
        numeric: false,
        nulls: null,
        min: null,
        max: null,
        note: `${leftOut(f.kind, f.display)} (leaves ${f.leaves!.join(', ')})`,
      };
    const chunks = meta.row_groups.map((g) => g.columns[f.chunk]?.meta_data);
    chunks.forEach((m, g) => {
      if (m?.path_in_schema?.join('.') !== f.name)
        throw new DataFormatError(
          `Parquet footer corrupt: row group ${g} puts column "${m?.path_in_schema?.join('.')}" where the schema has "${f.name}".`,
          { column: f.name, rowGroup: g },
        );
    });
    let min: number | null = null;
    let max: number | null = null;
    let nulls: number | null = 0;
    for (const m of chunks) {
      const st = m?.statistics;
      const lo = num(st?.min_value ?? st?.min);
      const hi = num(st?.max_value ?? st?.max);
      if (lo !== null) min = min === null ? lo : Math.min(min, lo);
      if (hi !== null) max = max === null ? hi : Math.max(max, hi);
      const nc = num(st?.null_count);
      nulls = nulls === null || nc === null ? null : nulls + nc;
    }
    if (!f.nullable) nulls = 0;
    const numericKind = isNumericKind(f.kind);
    // 64-bit integers are exact in a float64 tensor only up to 2^53; the statistics say whether they stay there.
    const tooBig =
      f.bits === 64 &&
      f.kind !== 'float' &&
      ((min !== null && Math.abs(min) > MAX_SAFE) || (max !== null && Math.abs(max) > MAX_SAFE));
    const numeric = numericKind && !tooBig;
    return {
      name: f.name,
      type: f.display,
      kind: f.kind,
      numeric,
      nulls,
      min: numericKind ? min : null,
      max: numericKind ? max : null,
      encodings: chunks[0]?.encodings?.join(', '),
      compression: chunks[0]?.codec,
      note: tooBig
        ? `${f.display} values reach ${max !== null && Math.abs(max) > MAX_SAFE ? 'max' : 'min'} ${BigInt(Math.round(Math.abs(max ?? 0) > MAX_SAFE ? max! : min!))}, past 2^53: a float64 tensor would round them, so the column is left out`
        : numeric
          ? undefined
          : leftOut(f.kind, f.display),
    };
  });
}

/**
 * Schema, row groups and compression of a file, without decoding its values (CSV: parsed once, to
 * count its rows as the parser sees them and decide each column's kind from its first 1 MB).
 * With `sample` (a large Parquet file cut by sampleParquet) the schema, statistics and row groups
 * are the whole file's, from its footer.
 */
export function inspectFile(bytes: Uint8Array, name: string, sample?: ParquetSample): FileInfo {
  try {
    return inspectBytes(bytes, name, sample);
  } catch (e) {
    throw withFile(e, name);
  }
}

function inspectBytes(bytes: Uint8Array, name: string, sample?: ParquetSample): FileInfo {
  checkFileSize(bytes.length, name);
  const format = detectFormat(bytes, name);
  const notes: string[] = [];
  if (format === 'parquet') {
    const meta = sample?.full ?? readParquetMetadata(bytes);
    if (sample) {
      const rows = Number(sample.meta.num_rows);
      notes.push(
        `The file is ${(sample.fileBytes / 2 ** 20).toFixed(0)} MiB: its schema, row groups and statistics come from the footer, and the reads below use its first ${sample.groups} of ${meta.row_groups.length} row groups (${rows.toLocaleString('en-US')} rows, ${(sample.bytes.length / 2 ** 20).toFixed(0)} MiB read into the tab), which is what a reader fetches anyway: Parquet's footer says where every column chunk is.`,
      );
    }
    const columns = parquetColumnInfo(meta);
    const codecs = new Set<string>();
    for (const g of meta.row_groups) for (const c of g.columns) if (c.meta_data) codecs.add(c.meta_data.codec);
    const nested = columns.filter((c) => c.kind === 'nested');
    if (nested.length)
      notes.push(
        `Nested column${nested.length > 1 ? 's' : ''} ${nested.map((c) => `"${c.name}" (${c.type})`).join(', ')} skipped by name: this lab reads flat columns.`,
      );
    return {
      name,
      format,
      bytes: sample?.fileBytes ?? bytes.length,
      rows: Number(meta.num_rows),
      columns,
      groups: meta.row_groups.map((g) => ({
        rows: Number(g.num_rows),
        bytes: Number(g.total_compressed_size ?? g.total_byte_size),
      })),
      codecs: [...codecs],
      notes,
      ...(sample
        ? { sample: { groups: sample.groups, rows: Number(sample.meta.num_rows), bytes: sample.bytes.length } }
        : {}),
    };
  }
  if (format === 'arrow') {
    const t = openArrow(bytes);
    const columns: ColumnInfo[] = t.schema.fields.map((f, k) => {
      const kind = arrowKind(f.type);
      const numeric = isNumericKind(kind.kind);
      const nulls = t.children[k].data.reduce((n, b) => n + b.nullCount, 0);
      return {
        name: f.name,
        type: kind.display,
        kind: kind.kind,
        numeric,
        nulls,
        min: null,
        max: null,
        note: numeric ? undefined : leftOut(kind.kind, kind.display),
      };
    });
    return {
      name,
      format,
      bytes: bytes.length,
      rows: t.numRows,
      columns,
      groups: (t.children[0]?.data ?? []).map((b) => ({ rows: b.length, bytes: null })),
      codecs: ['none'],
      notes: ['Arrow IPC carries no min/max statistics: a filter must read its key column in every batch.'],
    };
  }
  const kinds = csvColumnKinds(bytes);
  if (kinds.names.length === 0 || (kinds.names.length === 1 && kinds.names[0] === ''))
    throw new DataFormatError(`"${name}" has no header line.`);
  // Rows as the parser counts them: a quoted newline is inside a row, a missing final newline ends one.
  const rows = kinds.whole ? kinds.rows : countCsvRows(bytes, kinds.delimiter);
  const columns: ColumnInfo[] = kinds.names.map((n, k) => ({
    name: n,
    type: kinds.numeric[k] ? 'number' : 'text',
    kind: kinds.numeric[k] ? 'float' : 'string',
    numeric: kinds.numeric[k],
    nulls: kinds.whole ? kinds.nulls[k] : null,
    min: null,
    max: null,
    note: kinds.numeric[k] ? undefined : `not numeric (${kinds.firstBad[k]}): left out of the tensor`,
  }));
  notes.push(
    `Delimiter: ${DELIMITER_NAME[kinds.delimiter]} (sniffed from the first lines). An empty field is NULL; numbers follow DuckDB's CSV grammar.`,
  );
  if (!kinds.whole)
    notes.push(
      'Column kinds were inferred from the first 1 MB of text; CSV stores no types. NULL counts come from the full read.',
    );
  return {
    name,
    format,
    bytes: bytes.length,
    rows,
    columns,
    groups: [],
    codecs: ['none (text)'],
    notes,
    delimiter: DELIMITER_NAME[kinds.delimiter],
  };
}

function countCsvRows(bytes: Uint8Array, delimiter: CsvDelimiter): number {
  let rows = -1;
  let cols = 0;
  dsvFormat(delimiter).parseRows(csvText(bytes), (r) => {
    if (rows < 0) cols = r.length;
    if (!(rows >= 0 && cols > 1 && r.length === 1 && r[0] === '')) rows++;
    return null;
  });
  return Math.max(0, rows);
}

export interface FileMeasurements {
  measurements: Measurement[];
  /** The columns read: all numeric, the projected first quarter, the filter key and its cut. */
  all: string[];
  projected: string[];
  key: string;
  lo: number;
  /** What NULLs became in the tensor. */
  fill: NullFill;
  /** NULLs per numeric column over the rows read, counted by the full read (SQL's count(*) - count(col)). */
  nulls: Record<string, number>;
  /** Rows the filter kept: key ≥ lo, NULL keys out (SQL's WHERE). */
  filterRows: number;
  /** CSV only: text → Parquet (snappy) conversion time and the converted size. */
  convertMs: number | null;
  convertedBytes: number | null;
}

export interface MeasureOptions {
  fill?: NullFill;
  /** Timing budget of measureReaders (ms); the answers do not depend on it. */
  budgetMs?: number;
}

/**
 * The lab's three reads on the user's file: every numeric column, the first quarter of them
 * (projection), and those where the first numeric column ≥ the middle of its range (filter). A CSV
 * is also converted to Parquet and the converted file measured the same way. Returns null for a
 * file without rows (nothing to read, no range to cut).
 */
export async function measureFile(
  bytes: Uint8Array,
  info: FileInfo,
  sample?: ParquetSample,
  opts: MeasureOptions = {},
): Promise<FileMeasurements | null> {
  try {
    return await measureBytes(bytes, info, sample, opts);
  } catch (e) {
    throw withFile(e, info.name);
  }
}

/** The columns and key the lab reads, or a named refusal. */
function plan(info: FileInfo): { all: string[]; projected: string[]; key: string } {
  const all = info.columns.filter((c) => c.numeric).map((c) => c.name);
  if (!all.length)
    throw new DataFormatError(
      `"${info.name}" has no numeric column (${info.columns
        .slice(0, 6)
        .map((c) => `${c.name}: ${c.type}`)
        .join(', ')}): nothing could become a tensor.`,
    );
  return { all, projected: all.slice(0, Math.max(1, Math.floor(all.length / 4))), key: all[0] };
}

/**
 * Every numeric column read once, as the lab's first read does: the file's values decoded and
 * checked end to end (what the fuzz test drives). Returns the NULL counts and the key's range over
 * its non-NULL values.
 */
export async function readAllOnce(bytes: Uint8Array, info: FileInfo, sample?: ParquetSample, fill: NullFill = 'nan') {
  try {
    return await readAll(bytes, info, sample, fill);
  } catch (e) {
    throw withFile(e, info.name);
  }
}

async function readAll(bytes: Uint8Array, info: FileInfo, sample: ParquetSample | undefined, fill: NullFill) {
  const { all, key } = plan(info);
  const reader = readerOf(bytes, info, sample, fill);
  const out = await reader.read(all);
  // The key's range from the values (NULLs filled or not, only real values count).
  const raw = await readerOf(bytes, info, sample, 'drop').read([key]);
  let mn = Infinity;
  let mx = -Infinity;
  const col = raw.columns[key];
  for (let i = 0; i < col.length; i++) {
    if (col[i] < mn) mn = col[i];
    if (col[i] > mx) mx = col[i];
  }
  return { reader, out, min: mn, max: mx };
}

function readerOf(bytes: Uint8Array, info: FileInfo, sample: ParquetSample | undefined, fill: NullFill): FormatReader {
  return info.format === 'csv'
    ? csvReader(bytes, { fill })
    : info.format === 'parquet'
      ? parquetReader(bytes, sample?.meta, { fill })
      : arrowReader(bytes, { fill });
}

async function measureBytes(
  bytes: Uint8Array,
  info: FileInfo,
  sample: ParquetSample | undefined,
  opts: MeasureOptions,
): Promise<FileMeasurements | null> {
  const fill = opts.fill ?? 'nan';
  const { all, projected, key } = plan(info);
  if ((info.sample?.rows ?? info.rows) === 0) return null;
  const { reader, out, min, max } = await readAllOnce(bytes, info, sample, fill);
  for (const c of info.columns)
    if (c.name in out.nulls && c.nulls === null && !info.sample) c.nulls = out.nulls[c.name];
  // The cut: the middle of the key's range (statistics where the file has them, else the values).
  const k = info.columns.find((c) => c.name === key)!;
  const lo = k.min !== null && k.max !== null ? (k.min + k.max) / 2 : (min + max) / 2;
  if (!Number.isFinite(lo))
    throw new DataFormatError(`Column "${key}" holds no value (every row is NULL): there is no range to filter on.`, {
      column: key,
    });
  const q = { all, projected, key, lo, rows: info.sample?.rows ?? info.rows };
  const list: { reader: FormatReader; info: { variant: string; compression: Compression } }[] = [
    { reader, info: { variant: info.format, compression: compressionOf(info) } },
  ];
  let convertMs: number | null = null;
  let convertedBytes: number | null = null;
  if (info.format === 'csv') {
    const conv = await timeBest(
      async () => {
        const table = csvToTable(bytes);
        return writeParquet(table, {
          codec: 'SNAPPY',
          rowGroupRows: Math.max(1024, Math.ceil(table.rows / 8)),
          encoding: 'dictionary',
        });
      },
      { warmup: false, minGroupMs: 0, minGroups: 1, budgetMs: 0 },
    );
    convertMs = conv.ms;
    convertedBytes = conv.out.length;
    list.push({
      reader: parquetReader(conv.out, undefined, { fill }),
      info: { variant: 'parquet-converted', compression: 'snappy' },
    });
  }
  const measurements = await measureReaders(list, q, undefined, opts.budgetMs);
  const filter = measurements.find((m) => m.pattern === 'filter')!;
  return {
    measurements,
    all,
    projected,
    key,
    lo,
    fill,
    nulls: out.nulls,
    filterRows: filter.rowsOut,
    convertMs,
    convertedBytes,
  };
}

/** The file's codec as the measurement rows name it (several codecs in one file: the first chunk's). */
function compressionOf(info: FileInfo): Compression {
  if (info.format !== 'parquet') return 'none';
  const c = lower(info.codecs[0] ?? 'uncompressed');
  return c === 'uncompressed' ? 'none' : (c as Compression);
}
