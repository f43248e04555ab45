import { gzipSync } from 'fflate';
import { parquetMetadata, parquetRead } from 'hyparquet';
import type { FileMetaData } from 'hyparquet';
import { compressors as decompressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Dataset } from './dataset';
import { DataFormatError } from './errors';

/**
 * Codecs our writer can produce. hyparquet-writer has snappy built in and takes any other
 * compressor as a function; fflate (already a dependency) gives gzip. No pure-JS zstd *compressor*
 * is in the project, so zstd is read (hyparquet-compressors decodes it) but never written here.
 */
export const WRITE_CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP'] as const;
export type WriteCodec = (typeof WRITE_CODECS)[number];

/** 'dictionary': the writer's choice (a dictionary wherever it at least halves a chunk); 'plain': never. */
export type ParquetEncoding = 'dictionary' | 'plain';

export interface ParquetWriteSpec {
  codec: WriteCodec;
  rowGroupRows: number;
  encoding: ParquetEncoding;
}

const TYPE = (col: Dataset['columns'][string]) =>
  col instanceof Float32Array ? 'FLOAT' : col instanceof Float64Array ? 'DOUBLE' : col instanceof Int32Array ? 'INT32' : 'STRING';

/** Writes the table as a Parquet file: row groups of `rowGroupRows`, min/max statistics on every column. */
export function writeParquet(ds: Dataset, spec: ParquetWriteSpec): Uint8Array<ArrayBuffer> {
  if (!(Number.isInteger(spec.rowGroupRows) && spec.rowGroupRows >= 1)) throw new Error(`Bad row group size ${spec.rowGroupRows}.`);
  const buf = parquetWriteBuffer({
    columnData: ds.names.map((name) => ({
      name,
      data: ds.columns[name],
      type: TYPE(ds.columns[name]),
      nullable: false,
      encoding: spec.encoding === 'plain' ? 'PLAIN' : undefined,
    })),
    codec: spec.codec,
    compressors: { GZIP: (b: Uint8Array) => gzipSync(b) },
    statistics: true,
    rowGroupSize: spec.rowGroupRows,
    // One page per column chunk up to 1 MB: the default, kept so page overhead stays small.
    createdBy: 'gpu-playground data-formats lab',
  });
  return new Uint8Array(buf);
}

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

/**
 * Parses the footer, first checking what hyparquet's errors would leave vague: the magic at both
 * ends and a footer length that fits the file. Every failure names the problem.
 */
export function readParquetMetadata(bytes: Uint8Array): FileMetaData {
  const n = bytes.length;
  if (n < 12) throw new DataFormatError(`Too short to be Parquet: ${n} bytes (the magic "PAR1", a footer and its length take at least 12).`);
  if (!MAGIC.every((m, i) => bytes[i] === m))
    throw new DataFormatError(`Not a Parquet file: it starts with bytes ${hex(bytes.subarray(0, 4))}, not the magic "PAR1".`);
  if (!MAGIC.every((m, i) => bytes[n - 4 + i] === m))
    throw new DataFormatError(
      `Parquet footer missing: the file starts with "PAR1" but does not end with it (last bytes ${hex(bytes.subarray(n - 4))}). It is truncated or was never finished.`,
    );
  const footerLen = new DataView(bytes.buffer, bytes.byteOffset + n - 8, 4).getUint32(0, true);
  if (footerLen > n - 12) throw new DataFormatError(`Parquet footer truncated: its length field says ${footerLen} bytes, but only ${n - 12} precede it.`);
  try {
    return parquetMetadata(toArrayBuffer(bytes));
  } catch (e) {
    throw new DataFormatError(`Parquet footer unreadable: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}

/** A file view that counts the bytes the reader asks for: "bytes touched" is measured, not modelled. */
export function countingFile(bytes: Uint8Array): { file: { byteLength: number; slice(a: number, b?: number): ArrayBuffer }; touched(): number; reset(): void } {
  const ab = toArrayBuffer(bytes);
  let touched = 0;
  return {
    file: {
      byteLength: ab.byteLength,
      slice(a: number, b = ab.byteLength) {
        touched += b - a;
        return ab.slice(a, b);
      },
    },
    touched: () => touched,
    reset: () => (touched = 0),
  };
}

export type NumericArray = Float32Array | Float64Array | Int32Array;
export type ColumnArray = NumericArray | unknown[];

export interface ReadResult {
  rows: number;
  columns: Record<string, ColumnArray>;
  /** Row groups decoded, of all in the file. */
  groupsRead: number[];
  /** Bytes the reader fetched from the file (footer included). */
  bytesTouched: number;
}

/** First row of each row group, and the end: group g holds rows start[g] .. start[g+1]-1. */
export function rowGroupStarts(meta: FileMetaData): number[] {
  const out = [0];
  for (const g of meta.row_groups) out.push(out[out.length - 1] + Number(g.num_rows));
  return out;
}

/** Leaf columns of a flat schema: name, physical type, logical annotation. */
export function parquetColumns(meta: FileMetaData): { name: string; type: string; logical: string | null }[] {
  return meta.schema
    .slice(1)
    .filter((s) => !s.num_children)
    .map((s) => ({
      name: s.name,
      type: s.type ?? 'GROUP',
      logical: (s.logical_type?.type as string | undefined) ?? (s.converted_type as string | undefined) ?? null,
    }));
}

function outputArray(type: string, n: number): ColumnArray {
  if (type === 'FLOAT') return new Float32Array(n);
  if (type === 'INT32') return new Int32Array(n);
  if (type === 'DOUBLE' || type === 'INT64') return new Float64Array(n);
  return new Array<unknown>(n);
}

/** Row groups whose statistics say `column` may hold a value in [lo, hi]; the rest can be skipped unread. */
export function groupsMayMatch(meta: FileMetaData, column: string, lo: number, hi: number): { keep: number[]; withoutStats: number } {
  const keep: number[] = [];
  let withoutStats = 0;
  meta.row_groups.forEach((g, i) => {
    const chunk = g.columns.find((c) => c.meta_data?.path_in_schema.join('.') === column);
    const st = chunk?.meta_data?.statistics;
    const min = st?.min_value ?? st?.min;
    const max = st?.max_value ?? st?.max;
    if (min === undefined || max === undefined || min === null || max === null) {
      withoutStats++;
      keep.push(i);
      return;
    }
    if (Number(max) >= lo && Number(min) <= hi) keep.push(i);
  });
  return { keep, withoutStats };
}

/**
 * Reads `columns` (all when omitted) of the chosen row groups (all when omitted) with hyparquet:
 * only those column chunks are fetched and decompressed. Values land in typed arrays.
 */
export async function readParquet(bytes: Uint8Array, opts: { columns?: string[]; groups?: number[]; meta?: FileMetaData } = {}): Promise<ReadResult> {
  const cf = countingFile(bytes);
  const meta = opts.meta ?? readParquetMetadata(bytes);
  // The footer is read once per open: its bytes count as touched.
  const footer = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true) + 8;
  const all = parquetColumns(meta);
  const names = opts.columns ?? all.map((c) => c.name);
  const types = names.map((n) => {
    const c = all.find((x) => x.name === n);
    if (!c) throw new DataFormatError(`Parquet file has no column "${n}".`);
    return c.type;
  });
  const starts = rowGroupStarts(meta);
  const groups = opts.groups ?? meta.row_groups.map((_, i) => i);
  const rows = groups.reduce((a, g) => a + starts[g + 1] - starts[g], 0);
  const out = names.map((_, k) => outputArray(types[k], rows));
  const index = new Map(names.map((n, k) => [n, k]));
  // Contiguous runs of groups are one read each.
  let at = 0;
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (j + 1 < groups.length && groups[j + 1] === groups[j] + 1) j++;
    const rowStart = starts[groups[i]];
    const rowEnd = starts[groups[j] + 1];
    const base = at;
    try {
      await parquetRead({
        file: cf.file,
        metadata: meta,
        columns: names,
        rowStart,
        rowEnd,
        compressors: decompressors,
        onChunk: (c) => {
          const k = index.get(c.columnName);
          if (k === undefined) return;
          const dst = out[k];
          const src = c.columnData as ArrayLike<unknown>;
          const from = Math.max(rowStart, c.rowStart);
          const to = Math.min(rowEnd, c.rowEnd);
          for (let r = from; r < to; r++) {
            const v = src[r - c.rowStart];
            if (Array.isArray(dst)) dst[base + r - rowStart] = v;
            else (dst as NumericArray)[base + r - rowStart] = typeof v === 'bigint' ? Number(v) : (v as number);
          }
        },
      });
    } catch (e) {
      if (e instanceof DataFormatError) throw e;
      throw new DataFormatError(`Parquet data unreadable in row groups ${groups[i]}–${groups[j]}: ${e instanceof Error ? e.message : String(e)}.`);
    }
    at += rowEnd - rowStart;
    i = j + 1;
  }
  const columns: Record<string, ColumnArray> = {};
  names.forEach((n, k) => (columns[n] = out[k]));
  return { rows, columns, groupsRead: groups, bytesTouched: cf.touched() + footer };
}
