import { isArrowFile, isArrowStream, openArrow } from './arrow';
import { csvColumnKinds, csvToTable } from './csv';
import { DataFormatError } from './errors';
import { measureReaders, timeBest, type Compression, type Measurement } from './measure';
import { parquetColumns, readParquetMetadata, writeParquet } from './parquet';
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
  /** Physical type (Parquet/Arrow) or inferred kind (CSV). */
  type: string;
  numeric: boolean;
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
}

const lower = (s: string) => s.toLowerCase();

/** Decides the format from the bytes (magic numbers), and rejects names the bytes contradict. */
export function detectFormat(bytes: Uint8Array, name: string): FileFormat {
  const magic = (s: string) => [...s].every((c, i) => bytes[i] === c.charCodeAt(0));
  if (magic('PAR1')) return 'parquet';
  if (isArrowFile(bytes) || isArrowStream(bytes)) return 'arrow';
  const n = lower(name);
  const hex = [...bytes.subarray(0, 4)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
  if (n.endsWith('.parquet') || n.endsWith('.pq')) throw new DataFormatError(`Not a Parquet file: "${name}" starts with bytes ${hex}, not the magic "PAR1".`);
  if (n.endsWith('.arrow') || n.endsWith('.feather') || n.endsWith('.ipc'))
    throw new DataFormatError(`Not an Arrow IPC file: "${name}" starts with bytes ${hex}, not "ARROW1" or a stream message.`);
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) throw new DataFormatError(`"${name}" is binary but neither Parquet ("PAR1") nor Arrow ("ARROW1"): not CSV text either.`);
  return 'csv';
}

const NUMERIC_PHYSICAL = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE']);

/**
 * Schema, row groups and compression of a file, without decoding its values (CSV: a 1 MB sample).
 * With `sample` (a large Parquet file cut by sampleParquet) the schema, statistics and row groups
 * are the whole file's, from its footer.
 */
export function inspectFile(bytes: Uint8Array, name: string, sample?: ParquetSample): FileInfo {
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
    const cols = parquetColumns(meta);
    const codecs = new Set<string>();
    const columns: ColumnInfo[] = cols.map((c) => {
      const chunks = meta.row_groups.map((g) => g.columns.find((x) => x.meta_data?.path_in_schema.join('.') === c.name)?.meta_data);
      chunks.forEach((m) => m && codecs.add(m.codec));
      let min: number | null = null;
      let max: number | null = null;
      for (const m of chunks) {
        const st = m?.statistics;
        const lo = st?.min_value ?? st?.min;
        const hi = st?.max_value ?? st?.max;
        if (typeof lo === 'number' || typeof lo === 'bigint') min = min === null ? Number(lo) : Math.min(min, Number(lo));
        if (typeof hi === 'number' || typeof hi === 'bigint') max = max === null ? Number(hi) : Math.max(max, Number(hi));
      }
      const numeric =
        NUMERIC_PHYSICAL.has(c.type) && (c.logical === null || c.logical === 'INTEGER' || c.logical.startsWith('INT') || c.logical.startsWith('UINT'));
      return {
        name: c.name,
        type: c.logical ? `${c.type} (${c.logical})` : c.type,
        numeric,
        min,
        max,
        encodings: chunks[0]?.encodings.join(', '),
        compression: chunks[0]?.codec,
        note: numeric ? undefined : `${c.type}${c.logical ? ` ${c.logical}` : ''} is not a number: left out of the tensor`,
      };
    });
    return {
      name,
      format,
      bytes: sample?.fileBytes ?? bytes.length,
      rows: Number(meta.num_rows),
      columns,
      groups: meta.row_groups.map((g) => ({ rows: Number(g.num_rows), bytes: Number(g.total_compressed_size ?? g.total_byte_size) })),
      codecs: [...codecs],
      notes,
      ...(sample ? { sample: { groups: sample.groups, rows: Number(sample.meta.num_rows), bytes: sample.bytes.length } } : {}),
    };
  }
  if (format === 'arrow') {
    const t = openArrow(bytes);
    const columns: ColumnInfo[] = t.schema.fields.map((f) => {
      const batches = t.getChild(f.name)!.data;
      const numeric =
        batches.every(
          (b) =>
            ArrayBuffer.isView((b as unknown as { values: unknown }).values) &&
            !(b as unknown as { values: unknown }).values?.constructor.name.startsWith('Big'),
        ) && !('dictionary' in (f.type as object));
      return { name: f.name, type: typeName(f.type), numeric, min: null, max: null, note: numeric ? undefined : 'not a number: left out of the tensor' };
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
  if (kinds.names.length === 0) throw new DataFormatError(`"${name}" has no header line.`);
  let rows = 0;
  for (let i = bytes.indexOf(10) + 1; i > 0 && i < bytes.length; i = bytes.indexOf(10, i) + 1) rows++;
  if (bytes[bytes.length - 1] !== 10 && bytes.lastIndexOf(10) < bytes.length - 1) rows++;
  const columns: ColumnInfo[] = kinds.names.map((n, k) => ({
    name: n,
    type: kinds.numeric[k] ? 'number (inferred)' : 'text',
    numeric: kinds.numeric[k],
    min: null,
    max: null,
    note: kinds.numeric[k] ? undefined : `not numeric (${kinds.firstBad[k]}): left out of the tensor`,
  }));
  if (bytes.length > 2 ** 20) notes.push('Column kinds were inferred from the first 1 MB of text; CSV stores no types.');
  return { name, format, bytes: bytes.length, rows, columns, groups: [], codecs: ['none (text)'], notes };
}

function typeName(t: unknown): string {
  const o = t as { typeId?: number; bitWidth?: number; precision?: number };
  const names: Record<number, string> = { 2: 'int', 3: 'float', 5: 'utf8', 6: 'bool', 8: 'date', 10: 'timestamp', [-1]: 'dictionary' };
  const base = names[o.typeId ?? 0] ?? `type ${o.typeId}`;
  if (o.typeId === 2) return `int${o.bitWidth}`;
  if (o.typeId === 3) return ['float16', 'float32', 'float64'][o.precision ?? 1];
  return base;
}

export interface FileMeasurements {
  measurements: Measurement[];
  /** The columns read: all numeric, the projected first quarter, the filter key and its cut. */
  all: string[];
  projected: string[];
  key: string;
  lo: number;
  /** CSV only: text → Parquet (snappy) conversion time and the converted size. */
  convertMs: number | null;
  convertedBytes: number | null;
}

/**
 * The lab's three reads on the user's file: every numeric column, the first quarter of them
 * (projection), and those where the first numeric column ≥ the middle of its range (filter). A CSV
 * is also converted to Parquet and the converted file measured the same way.
 */
export async function measureFile(bytes: Uint8Array, info: FileInfo, sample?: ParquetSample): Promise<FileMeasurements> {
  const all = info.columns.filter((c) => c.numeric).map((c) => c.name);
  if (!all.length)
    throw new DataFormatError(
      `"${info.name}" has no numeric column (${info.columns
        .slice(0, 6)
        .map((c) => `${c.name}: ${c.type}`)
        .join(', ')}): nothing could become a tensor.`,
    );
  const projected = all.slice(0, Math.max(1, Math.floor(all.length / 4)));
  const key = all[0];
  const reader: FormatReader = info.format === 'csv' ? csvReader(bytes) : info.format === 'parquet' ? parquetReader(bytes, sample?.meta) : arrowReader(bytes);
  // The cut: the middle of the key's range, from statistics where the file has them, else one read.
  const k = info.columns.find((c) => c.name === key)!;
  let lo: number;
  if (k.min !== null && k.max !== null) lo = (k.min + k.max) / 2;
  else {
    const col = (await reader.read([key])).columns[key];
    let mn = Infinity;
    let mx = -Infinity;
    for (let i = 0; i < col.length; i++) {
      mn = Math.min(mn, col[i]);
      mx = Math.max(mx, col[i]);
    }
    lo = (mn + mx) / 2;
  }
  const q = { all, projected, key, lo, rows: info.sample?.rows ?? info.rows };
  const list: { reader: FormatReader; info: { variant: string; compression: Compression } }[] = [{ reader, info: { variant: info.format, compression: compressionOf(info) } }];
  let convertMs: number | null = null;
  let convertedBytes: number | null = null;
  if (info.format === 'csv') {
    const conv = await timeBest(
      async () => {
        const table = csvToTable(bytes);
        return writeParquet(table, { codec: 'SNAPPY', rowGroupRows: Math.max(1024, Math.ceil(table.rows / 8)), encoding: 'dictionary' });
      },
      { warmup: false, minGroupMs: 0, minGroups: 1, budgetMs: 0 },
    );
    convertMs = conv.ms;
    convertedBytes = conv.out.length;
    list.push({ reader: parquetReader(conv.out), info: { variant: 'parquet-converted', compression: 'snappy' } });
  }
  const measurements = await measureReaders(list, q);
  return { measurements, all, projected, key, lo, convertMs, convertedBytes };
}

function compressionOf(info: FileInfo): Compression {
  const c = info.codecs.map(lower);
  return c.includes('snappy') ? 'snappy' : c.includes('gzip') ? 'gzip' : 'none';
}
