import type { FileMetaData } from 'hyparquet';
import { arrowColumn, openArrow } from './arrow';
import { parseCsv, type CsvDelimiter } from './csv';
import { DataFormatError } from './errors';
import { fillNulls, filterMasked, type MaskedColumns, type NullFill } from './nulls';
import { groupsMayMatch, readParquet, readParquetMetadata, type NumericArray, type ReadResult } from './parquet';

export type FileFormat = 'csv' | 'parquet' | 'arrow';

/** What one read returned and cost: the columns as a tensor (NULLs filled as chosen), and the bytes the reader touched. */
export interface ReadOut {
  rows: number;
  columns: Record<string, NumericArray>;
  /** NULLs per column among the rows read (filter: among the rows kept), before the fill. */
  nulls: Record<string, number>;
  bytesTouched: number;
  /** Row groups (Parquet) or record batches (Arrow) skipped without reading; CSV has none. */
  groupsSkipped: number;
  groupsTotal: number;
}

/**
 * One file behind one interface: read k columns (projection), or k columns of the rows where
 * `key >= lo` (a filter, pushed down to row-group statistics where the format has them; a NULL
 * key never passes, as in SQL). NULLs become what `fill` says before the columns are returned.
 */
export interface FormatReader {
  format: FileFormat;
  fileBytes: number;
  read(columns: string[]): Promise<ReadOut>;
  readWhere(columns: string[], key: string, lo: number): Promise<ReadOut>;
}

export interface ReaderOptions {
  /** What a NULL becomes in the tensor (default NaN: never a silent 0). */
  fill?: NullFill;
}

/** Keeps the rows where key >= lo (NULL keys out), then fills: the CPU's share of a filtered read, alike for every format. */
export function filterRows(
  m: MaskedColumns,
  key: string,
  lo: number,
  keep: string[],
  fill: NullFill,
): { rows: number; columns: Record<string, NumericArray>; nulls: Record<string, number> } {
  return fillNulls(filterMasked(m, key, lo, keep), fill);
}

/** A row format: every read scans every byte and splits every field, whatever is asked for. */
export function csvReader(bytes: Uint8Array, opts: ReaderOptions = {}): FormatReader {
  const fill = opts.fill ?? 'nan';
  let delimiter: CsvDelimiter | undefined;
  return {
    format: 'csv',
    fileBytes: bytes.length,
    async read(columns) {
      const t = parseCsv(bytes, { columns, delimiter });
      delimiter = t.delimiter;
      return { ...fillNulls(t, fill), bytesTouched: bytes.length, groupsSkipped: 0, groupsTotal: 1 };
    },
    async readWhere(columns, key, lo) {
      const t = parseCsv(bytes, { columns: [...new Set([...columns, key])], delimiter });
      delimiter = t.delimiter;
      return { ...filterRows(t, key, lo, columns, fill), bytesTouched: bytes.length, groupsSkipped: 0, groupsTotal: 1 };
    },
  };
}

const numeric = (r: ReadResult): MaskedColumns => {
  for (const [name, c] of Object.entries(r.columns))
    if (!ArrayBuffer.isView(c))
      throw new DataFormatError(`Column "${name}" is not numeric, so it cannot become part of a tensor.`, {
        column: name,
      });
  return { rows: r.rows, columns: r.columns as Record<string, NumericArray>, valid: r.valid };
};

/** Parquet: only the asked column chunks are fetched; a filter first drops row groups by min/max. */
export function parquetReader(
  bytes: Uint8Array,
  meta: FileMetaData = readParquetMetadata(bytes),
  opts: ReaderOptions = {},
): FormatReader {
  const fill = opts.fill ?? 'nan';
  return {
    format: 'parquet',
    fileBytes: bytes.length,
    async read(columns) {
      const r = await readParquet(bytes, { columns, meta });
      return {
        ...fillNulls(numeric(r), fill),
        bytesTouched: r.bytesTouched,
        groupsSkipped: 0,
        groupsTotal: meta.row_groups.length,
      };
    },
    async readWhere(columns, key, lo) {
      const { keep } = groupsMayMatch(meta, key, lo, Infinity);
      const r = await readParquet(bytes, { columns: [...new Set([...columns, key])], groups: keep, meta });
      return {
        ...filterRows(numeric(r), key, lo, columns, fill),
        bytesTouched: r.bytesTouched,
        groupsSkipped: meta.row_groups.length - keep.length,
        groupsTotal: meta.row_groups.length,
      };
    },
  };
}

/**
 * Arrow IPC: opening parses only the framing; a column is a view into the file's bytes per record
 * batch (joined into one array here when the file has several batches or NULLs: a copy, no
 * decoding). The IPC format carries no statistics, so a filter reads its key column in every batch.
 */
export function arrowReader(bytes: Uint8Array, opts: ReaderOptions = {}): FormatReader {
  const fill = opts.fill ?? 'nan';
  const readCols = (columns: string[]) => {
    // Each read opens the file again, as the other formats do.
    const t = openArrow(bytes);
    const m: MaskedColumns = { rows: t.numRows, columns: {}, valid: {} };
    let touched = 0;
    for (const c of columns) {
      const { values, valid } = arrowColumn(t, c);
      m.columns[c] = values;
      m.valid[c] = valid;
      touched += values.byteLength;
    }
    return { t, m, touched };
  };
  return {
    format: 'arrow',
    fileBytes: bytes.length,
    async read(columns) {
      const { t, m, touched } = readCols(columns);
      return {
        ...fillNulls(m, fill),
        bytesTouched: touched,
        groupsSkipped: 0,
        groupsTotal: t.children[0]?.data.length ?? 0,
      };
    },
    async readWhere(columns, key, lo) {
      const { t, m, touched } = readCols([...new Set([...columns, key])]);
      return {
        ...filterRows(m, key, lo, columns, fill),
        bytesTouched: touched,
        groupsSkipped: 0,
        groupsTotal: t.children[0]?.data.length ?? 0,
      };
    },
  };
}

export function readerFor(format: FileFormat, bytes: Uint8Array, opts: ReaderOptions = {}): FormatReader {
  return format === 'csv'
    ? csvReader(bytes, opts)
    : format === 'parquet'
      ? parquetReader(bytes, undefined, opts)
      : arrowReader(bytes, opts);
}
