import { gzipSync } from 'fflate';
import { parquetMetadata, parquetRead } from 'hyparquet';
import type { FileMetaData } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Dataset } from './dataset';
import { DataFormatError, placeText, type DataPlace } from './errors';
import { PAGE_CODECS } from './pageCodecs';
import { checkPageStreams, chunkRange, walkChunk, type PageInfo } from './parquetPages';

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
  col instanceof Float32Array
    ? 'FLOAT'
    : col instanceof Float64Array
      ? 'DOUBLE'
      : col instanceof Int32Array
        ? 'INT32'
        : 'STRING';

/** Writes the table as a Parquet file: row groups of `rowGroupRows`, min/max statistics on every column. */
export function writeParquet(ds: Dataset, spec: ParquetWriteSpec): Uint8Array<ArrayBuffer> {
  if (!(Number.isInteger(spec.rowGroupRows) && spec.rowGroupRows >= 1))
    throw new Error(`Bad row group size ${spec.rowGroupRows}.`);
  const buf = parquetWriteBuffer({
    columnData: ds.names.map((name) => ({
      name,
      data: ds.valid?.[name]
        ? Array.from(ds.columns[name] as ArrayLike<number>, (v, i) => (ds.valid![name][i] ? v : null))
        : ds.columns[name],
      type: TYPE(ds.columns[name]),
      nullable: !!ds.valid?.[name],
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
  if (n < 12)
    throw new DataFormatError(
      `Too short to be Parquet: ${n} bytes (the magic "PAR1", a footer and its length take at least 12).`,
    );
  if (!MAGIC.every((m, i) => bytes[i] === m))
    throw new DataFormatError(
      `Not a Parquet file: it starts with bytes ${hex(bytes.subarray(0, 4))}, not the magic "PAR1".`,
    );
  if (!MAGIC.every((m, i) => bytes[n - 4 + i] === m))
    throw new DataFormatError(
      `Parquet footer missing: the file starts with "PAR1" but does not end with it (last bytes ${hex(bytes.subarray(n - 4))}). It is truncated or was never finished.`,
    );
  const footerLen = new DataView(bytes.buffer, bytes.byteOffset + n - 8, 4).getUint32(0, true);
  if (footerLen > n - 12)
    throw new DataFormatError(
      `Parquet footer truncated: its length field says ${footerLen} bytes, but only ${n - 12} precede it.`,
    );
  let meta: FileMetaData;
  try {
    meta = parquetMetadata(toArrayBuffer(bytes));
  } catch {
    // hyparquet's own words ("thrift unhandled type: 13") mean nothing to the user; the place does.
    throw new DataFormatError(
      `Parquet footer corrupt: its ${footerLen} bytes of metadata (schema, row groups, statistics) at the end of the file cannot be decoded.`,
    );
  }
  checkMetadata(meta);
  return meta;
}

const CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW']);

/** What hyparquet leaves unchecked in a decoded footer, and would later trip over with a TypeError. */
function checkMetadata(meta: FileMetaData): void {
  const bad = (what: string) => new DataFormatError(`Parquet footer corrupt: ${what}.`);
  if (!Array.isArray(meta.schema) || !meta.schema.length || !Array.isArray(meta.row_groups))
    throw bad('it has no schema or no row-group list');
  const fields = parquetFields(meta);
  const leaves = fields.reduce((n, f) => n + (f.leaves?.length ?? 1), 0);
  if (Number(meta.num_rows) < 0) throw bad(`it says the file holds ${meta.num_rows} rows`);
  meta.row_groups.forEach((g, i) => {
    if (!Array.isArray(g.columns) || g.columns.length !== leaves)
      throw bad(`row group ${i} lists ${g.columns?.length ?? 0} column chunks, the schema has ${leaves} columns`);
    if (Number(g.num_rows) < 0) throw bad(`row group ${i} says it holds ${g.num_rows} rows`);
    g.columns.forEach((c, k) => {
      const m = c.meta_data;
      if (!m) throw bad(`row group ${i}, column chunk ${k} has no metadata`);
      if (!CODECS.has(m.codec as string))
        throw bad(
          `row group ${i}, column "${m.path_in_schema?.join('.')}" names a compression codec Parquet does not define`,
        );
    });
  });
  const total = meta.row_groups.reduce((n, g) => n + Number(g.num_rows), 0);
  if (total !== Number(meta.num_rows)) throw bad(`its row groups hold ${total} rows, the file says ${meta.num_rows}`);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

/** A file view that counts the bytes the reader asks for: "bytes touched" is measured, not modelled. */
export function countingFile(bytes: Uint8Array): {
  file: { byteLength: number; slice(a: number, b?: number): ArrayBuffer };
  touched(): number;
  reset(): void;
  /** Where in the file a buffer the reader was handed starts (to name the page a decoder fails in). */
  origin(buf: ArrayBufferLike): number | undefined;
} {
  const ab = toArrayBuffer(bytes);
  let touched = 0;
  const starts = new WeakMap<ArrayBufferLike, number>();
  return {
    file: {
      byteLength: ab.byteLength,
      slice(a: number, b = ab.byteLength) {
        touched += b - a;
        const out = ab.slice(a, b);
        starts.set(out, a);
        return out;
      },
    },
    origin: (buf) => starts.get(buf),
    touched: () => touched,
    reset: () => (touched = 0),
  };
}

export type NumericArray = Float32Array | Float64Array | Int32Array;
export type ColumnArray = NumericArray | unknown[];

export interface ReadResult {
  rows: number;
  columns: Record<string, ColumnArray>;
  /** Per column: 1 where the row holds a value, 0 where it is NULL; null when the column has no NULL. */
  valid: Record<string, Uint8Array | null>;
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

export type ValueKind =
  | 'int'
  | 'uint'
  | 'float'
  | 'bool'
  | 'string'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'decimal'
  | 'int96'
  | 'nested'
  | 'other';

/** A top-level field of a Parquet schema, typed as its writer declared it. */
export interface ParquetField {
  name: string;
  /** Physical type (INT32, BYTE_ARRAY, …), or GROUP for a nested field. */
  physical: string;
  /** Logical or converted annotation (UINT_32, STRING, DATE, LIST, …), if any. */
  logical: string | null;
  kind: ValueKind;
  /** Integer width in bits (8/16/32/64), float width (32/64); 0 elsewhere. */
  bits: number;
  nullable: boolean;
  /** Index of its column chunk in every row group (flat fields only). */
  chunk: number;
  /** Nested fields: the leaf paths under it, e.g. lst.list.element. */
  leaves?: string[];
  /** What the user sees: uint32, int64, string, list<int64>, struct<a, b>, … */
  display: string;
}

type SchemaEl = FileMetaData['schema'][number];

function annotation(s: SchemaEl): string | null {
  const lt = s.logical_type as { type?: string; bitWidth?: number; isSigned?: boolean; unit?: string } | undefined;
  if (lt?.type === 'INTEGER' && lt.bitWidth) return `${lt.isSigned === false ? 'UINT' : 'INT'}_${lt.bitWidth}`;
  if (lt?.type) return lt.type === 'TIMESTAMP' && lt.unit ? `TIMESTAMP_${lt.unit}` : lt.type;
  return (s.converted_type as string | undefined) ?? null;
}

function leafKind(s: SchemaEl): { kind: ValueKind; bits: number; display: string } {
  const t = s.type ?? 'GROUP';
  const a = annotation(s);
  const int = a?.match(/^(U?)INT_(8|16|32|64)$/);
  if (int) return { kind: int[1] ? 'uint' : 'int', bits: +int[2], display: `${int[1] ? 'uint' : 'int'}${int[2]}` };
  if (a === 'DATE') return { kind: 'date', bits: 0, display: 'date' };
  if (a?.startsWith('TIMESTAMP'))
    return {
      kind: 'timestamp',
      bits: 0,
      display: `timestamp${a.includes('_') ? `[${a.split('_')[1].toLowerCase()}]` : ''}`,
    };
  if (a?.startsWith('TIME')) return { kind: 'time', bits: 0, display: 'time' };
  if (a === 'DECIMAL') return { kind: 'decimal', bits: 0, display: 'decimal' };
  if (a === 'STRING' || a === 'UTF8' || a === 'ENUM' || a === 'JSON')
    return { kind: 'string', bits: 0, display: 'string' };
  if (a && a !== 'NONE') return { kind: 'other', bits: 0, display: `${t} (${a})` };
  if (t === 'INT32') return { kind: 'int', bits: 32, display: 'int32' };
  if (t === 'INT64') return { kind: 'int', bits: 64, display: 'int64' };
  if (t === 'FLOAT') return { kind: 'float', bits: 32, display: 'float32' };
  if (t === 'DOUBLE') return { kind: 'float', bits: 64, display: 'float64' };
  if (t === 'BOOLEAN') return { kind: 'bool', bits: 0, display: 'bool' };
  if (t === 'INT96') return { kind: 'int96', bits: 0, display: 'int96 (legacy timestamp)' };
  return { kind: 'binary', bits: 0, display: t === 'FIXED_LEN_BYTE_ARRAY' ? 'fixed binary' : 'binary' };
}

/**
 * The schema's top-level fields: flat ones typed as declared, nested ones (LIST, MAP, STRUCT) with
 * their leaves, so a reader can skip them by name and still read the flat columns. Checks the
 * schema's shape on the way (a corrupt footer can claim more children than there are elements).
 */
export function parquetFields(meta: FileMetaData): ParquetField[] {
  const schema = meta.schema;
  const out: ParquetField[] = [];
  let at = 1;
  let chunk = 0;
  // Leaves under element i, depth first; returns the index after its subtree.
  const walk = (i: number, path: string[], leaves: string[], depth: number): number => {
    if (i >= schema.length || depth > 64)
      throw new DataFormatError(
        "The Parquet footer's schema is corrupt: a field claims more children than the schema holds.",
      );
    const s = schema[i];
    const p = [...path, s.name];
    if (!s.num_children) {
      leaves.push(p.join('.'));
      return i + 1;
    }
    let j = i + 1;
    for (let k = 0; k < s.num_children; k++) j = walk(j, p, leaves, depth + 1);
    return j;
  };
  const roots = schema[0]?.num_children ?? 0;
  for (let k = 0; k < roots; k++) {
    if (at >= schema.length)
      throw new DataFormatError("The Parquet footer's schema is corrupt: it lists fewer fields than its root claims.");
    const s = schema[at];
    const nullable = s.repetition_type !== 'REQUIRED';
    if (s.num_children || s.repetition_type === 'REPEATED') {
      const leaves: string[] = [];
      const next = walk(at, [], leaves, 0);
      const a = annotation(s);
      const kids = schema.slice(at + 1, next).map((x) => x.name);
      const display =
        a === 'LIST'
          ? `list<${leafKind(schema[next - 1]).display}>`
          : a === 'MAP'
            ? 'map'
            : s.num_children
              ? `struct<${kids.slice(0, 4).join(', ')}${kids.length > 4 ? ', …' : ''}>`
              : `repeated ${leafKind(s).display}`;
      out.push({
        name: s.name,
        physical: 'GROUP',
        logical: a,
        kind: 'nested',
        bits: 0,
        nullable,
        chunk,
        leaves,
        display,
      });
      chunk += leaves.length;
      at = next;
    } else {
      out.push({ name: s.name, physical: s.type ?? 'GROUP', logical: annotation(s), ...leafKind(s), nullable, chunk });
      chunk++;
      at++;
    }
  }
  return out;
}

/** Kinds a tensor can hold: integers and floats (booleans, strings, dates and timestamps are left out by name). */
export const isNumericKind = (k: ValueKind) => k === 'int' || k === 'uint' || k === 'float';

function outputArray(f: ParquetField, n: number): ColumnArray {
  if (f.kind === 'float') return f.bits === 32 ? new Float32Array(n) : new Float64Array(n);
  // uint32 and 64-bit integers do not fit an Int32Array: float64 holds them exactly up to 2^53.
  if ((f.kind === 'int' && f.bits <= 32) || (f.kind === 'uint' && f.bits < 32)) return new Int32Array(n);
  if (f.kind === 'int' || f.kind === 'uint') return new Float64Array(n);
  return new Array<unknown>(n);
}

/** Row groups whose statistics say `column` may hold a value in [lo, hi]; the rest can be skipped unread. */
export function groupsMayMatch(
  meta: FileMetaData,
  column: string,
  lo: number,
  hi: number,
): { keep: number[]; withoutStats: number } {
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

/** Validated chunks per file (page walk done once per file, as a reader caches what it checked on open). */
const walked = new WeakMap<
  Uint8Array,
  { chunks: Set<string>; pages: Map<number, PageInfo>; starts: number[]; chunkRanges: [number, number][] }
>();

/** The page whose data holds file offset `at`, from the walk. */
function pageAt(w: { pages: Map<number, PageInfo>; starts: number[] }, at: number): PageInfo | undefined {
  let lo = 0;
  let hi = w.starts.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (w.starts[mid] <= at) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const p = best < 0 ? undefined : w.pages.get(w.starts[best]);
  return p && at <= w.starts[best] + p.compressed ? p : undefined;
}

/**
 * Where a buffer hyparquet copied out of our slice starts in the file: it copies a column chunk
 * (when it merged several chunks into one read), so the walked chunk of that length whose first
 * bytes match is it.
 */
const copies = new WeakMap<ArrayBufferLike, number>();
function chunkOrigin(bytes: Uint8Array, w: { chunkRanges: [number, number][] }, input: Uint8Array): number | undefined {
  const buf = input.buffer;
  if (copies.has(buf)) return copies.get(buf);
  const head = new Uint8Array(buf, 0, Math.min(32, buf.byteLength));
  for (const [start, len] of w.chunkRanges)
    if (len === buf.byteLength && head.every((x, i) => bytes[start + i] === x)) {
      copies.set(buf, start);
      return start;
    }
  return undefined;
}

/** UNCOMPRESSED chunks go through a pass-through "codec" too, so every page hyparquet decodes is seen (and named on failure). */
const PASS = 'UNCOMPRESSED_PAGES';
const trackedMetas = new WeakMap<FileMetaData, FileMetaData>();
function tracked(meta: FileMetaData): FileMetaData {
  let t = trackedMetas.get(meta);
  if (!t) {
    t = {
      ...meta,
      row_groups: meta.row_groups.map((g) => ({
        ...g,
        columns: g.columns.map((c) =>
          c.meta_data?.codec === 'UNCOMPRESSED'
            ? { ...c, meta_data: { ...c.meta_data, codec: PASS as 'UNCOMPRESSED' } }
            : c,
        ),
      })),
    };
    trackedMetas.set(meta, t);
  }
  return t;
}

const MAX_SAFE = 2 ** 53;

/**
 * Reads flat `columns` (all flat ones when omitted) of the chosen row groups (all when omitted)
 * with hyparquet: only those column chunks are fetched and decompressed. Values land in typed
 * arrays as their declared type allows (uint32 and 64-bit integers in float64, refused past 2^53),
 * NULLs in a validity mask, never as a value. Pages are walked and checked first, decompressed by
 * the bounded codecs of pageCodecs.ts, and any failure is named by column, row group and page.
 */
export async function readParquet(
  bytes: Uint8Array,
  opts: { columns?: string[]; groups?: number[]; meta?: FileMetaData } = {},
): Promise<ReadResult> {
  const cf = countingFile(bytes);
  const meta = opts.meta ?? readParquetMetadata(bytes);
  // The footer is read once per open: its bytes count as touched.
  const footer = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true) + 8;
  const fields = parquetFields(meta);
  const flat = fields.filter((f) => f.kind !== 'nested');
  const names = opts.columns ?? flat.map((c) => c.name);
  const want = names.map((n) => {
    const f = fields.find((x) => x.name === n);
    if (!f) throw new DataFormatError(`Parquet file has no column "${n}".`, { column: n });
    if (f.kind === 'nested')
      throw new DataFormatError(`Column "${n}" is nested (${f.display}): this reader reads flat columns only.`, {
        column: n,
      });
    return f;
  });
  const starts = rowGroupStarts(meta);
  const groups = opts.groups ?? meta.row_groups.map((_, i) => i);
  for (const g of groups)
    if (!(g >= 0 && g < meta.row_groups.length)) throw new DataFormatError(`Parquet file has no row group ${g}.`);
  // Walk (once per file) the pages of every chunk this read touches.
  let w = walked.get(bytes);
  if (!w) walked.set(bytes, (w = { chunks: new Set(), pages: new Map(), starts: [], chunkRanges: [] }));
  let added = false;
  for (const g of groups)
    for (const f of want) {
      const id = `${g}:${f.chunk}`;
      if (w.chunks.has(id)) continue;
      walkChunk(bytes, meta, g, f.chunk, f.name, w.pages, f.nullable ? 1 : 0);
      w.chunkRanges.push(chunkRange(meta, g, f.chunk, bytes.length, {}));
      w.chunks.add(id);
      added = true;
    }
  if (added) w.starts = [...w.pages.keys()].sort((a, b) => a - b);
  const ww = w;
  let current: PageInfo | undefined;
  const see = (input: Uint8Array) => {
    const o = cf.origin(input.buffer) ?? chunkOrigin(bytes, ww, input);
    current = o === undefined ? undefined : pageAt(ww, o + input.byteOffset);
  };
  const fail = (problem: string) => {
    const p: DataPlace = current ?? {};
    return new DataFormatError(`Corrupt Parquet page${current ? ` in ${placeText(p)}` : ''}: ${problem}.`, {
      column: p.column,
      rowGroup: p.rowGroup,
      page: p.page,
      pages: p.pages,
    });
  };
  // A V2 page hands the codec only its values (its levels sit before them, uncompressed).
  const check = (page: Uint8Array, input: Uint8Array) => {
    if (current) checkPageStreams(page, current, cf.origin(input.buffer)! + input.byteOffset !== current.at);
    return page;
  };
  const compressors: Record<string, (input: Uint8Array, size: number) => Uint8Array> = {
    [PASS]: (input) => (see(input), check(input, input)),
  };
  for (const [codec, fn] of Object.entries(PAGE_CODECS))
    compressors[codec] = (input, size) => {
      see(input);
      let page: Uint8Array;
      try {
        page = fn(input, size);
      } catch (e) {
        throw fail(`${codec.toLowerCase()} data cannot be decompressed: ${e instanceof Error ? e.message : String(e)}`);
      }
      return check(page, input);
    };

  const rows = groups.reduce((a, g) => a + starts[g + 1] - starts[g], 0);
  const out = want.map((f) => outputArray(f, rows));
  const valid: (Uint8Array | null)[] = want.map(() => null);
  const index = new Map(names.map((n, k) => [n, k]));
  // hyparquet calls onChunk without awaiting it: an error thrown there would escape the read as an
  // unhandled rejection, so the first one is kept and thrown once the read returns.
  let chunkError: DataFormatError | null = null;
  // Contiguous runs of groups are one read each.
  let at = 0;
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (j + 1 < groups.length && groups[j + 1] === groups[j] + 1) j++;
    const rowStart = starts[groups[i]];
    const rowEnd = starts[groups[j] + 1];
    const base = at;
    current = undefined;
    try {
      await parquetRead({
        file: cf.file,
        metadata: tracked(meta),
        columns: names,
        rowStart,
        rowEnd,
        compressors,
        onChunk: (c) => {
          const k = index.get(c.columnName);
          if (k === undefined || chunkError) return;
          const dst = out[k];
          const src = c.columnData as ArrayLike<unknown>;
          const from = Math.max(rowStart, c.rowStart);
          const to = Math.min(rowEnd, c.rowEnd);
          if (to - c.rowStart > src.length) {
            chunkError = fail(
              `column "${c.columnName}" holds ${src.length} values where its pages promise ${to - c.rowStart}`,
            );
            return;
          }
          for (let r = from; r < to; r++) {
            const v = src[r - c.rowStart];
            const o = base + r - rowStart;
            // hyparquet gives null for a NULL; undefined is a dictionary index past the dictionary's end.
            if (v === undefined && !ArrayBuffer.isView(src)) {
              chunkError = new DataFormatError(
                `Corrupt Parquet data in column "${c.columnName}": row ${r} refers to a dictionary entry that does not exist.`,
                { column: c.columnName },
              );
              return;
            }
            if (v === null) {
              (valid[k] ??= new Uint8Array(rows).fill(1))[o] = 0;
              if (!Array.isArray(dst)) dst[o] = 0;
            } else if (Array.isArray(dst)) dst[o] = v;
            else if (typeof v === 'bigint') {
              if (v > MAX_SAFE || v < -MAX_SAFE) {
                chunkError = new DataFormatError(
                  `Column "${c.columnName}" (${want[k].display}) holds ${v} in row ${r}, past 2^53: a float64 tensor cannot hold it exactly.`,
                  { column: c.columnName },
                );
                return;
              }
              dst[o] = Number(v);
            } else dst[o] = v as number;
          }
        },
      });
    } catch (e) {
      if (e instanceof DataFormatError) throw e;
      // Anything hyparquet throws past the walk is a page it could not decode: the last page it was handed.
      throw fail(`its values cannot be decoded (${e instanceof Error ? e.message : String(e)})`);
    }
    if (chunkError) throw chunkError;
    at += rowEnd - rowStart;
    i = j + 1;
  }
  const columns: Record<string, ColumnArray> = {};
  const validity: Record<string, Uint8Array | null> = {};
  names.forEach((n, k) => {
    columns[n] = out[k];
    validity[n] = valid[k];
  });
  return { rows, columns, valid: validity, groupsRead: groups, bytesTouched: cf.touched() + footer };
}
