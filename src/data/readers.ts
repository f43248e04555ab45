import type { Table } from '@uwdata/flechette';
import type { FileMetaData } from 'hyparquet';
import { arrowColumnSlice, openArrow } from './arrow';
import { parseCsv } from './csv';
import { DataFormatError } from './errors';
import { groupsMayMatch, readParquet, readParquetMetadata, type NumericArray } from './parquet';

export type FileFormat = 'csv' | 'parquet' | 'arrow';

/** What one read returned and cost: the columns as typed arrays and the bytes the reader touched. */
export interface ReadOut {
  rows: number;
  columns: Record<string, NumericArray>;
  bytesTouched: number;
  /** Row groups (Parquet) or record batches (Arrow) skipped without reading; CSV has none. */
  groupsSkipped: number;
  groupsTotal: number;
}

/**
 * One file behind one interface: read k columns (projection), or k columns of the rows where
 * `key >= lo` (a filter, pushed down to row-group statistics where the format has them).
 */
export interface FormatReader {
  format: FileFormat;
  fileBytes: number;
  read(columns: string[]): Promise<ReadOut>;
  readWhere(columns: string[], key: string, lo: number): Promise<ReadOut>;
}

/** Keeps the rows where key >= lo: the CPU's share of a filtered read, alike for every format. */
export function filterRows(
  columns: Record<string, NumericArray>,
  key: NumericArray,
  lo: number,
  keep: string[],
): { rows: number; columns: Record<string, NumericArray> } {
  const idx: number[] = [];
  for (let i = 0; i < key.length; i++) if (key[i] >= lo) idx.push(i);
  const out: Record<string, NumericArray> = {};
  for (const name of keep) {
    const src = columns[name];
    const dst = new (src.constructor as Float64ArrayConstructor)(idx.length);
    for (let j = 0; j < idx.length; j++) dst[j] = src[idx[j]];
    out[name] = dst;
  }
  return { rows: idx.length, columns: out };
}

/** A row format: every read scans every byte and splits every field, whatever is asked for. */
export function csvReader(bytes: Uint8Array): FormatReader {
  return {
    format: 'csv',
    fileBytes: bytes.length,
    async read(columns) {
      const t = parseCsv(bytes, { columns });
      return { rows: t.rows, columns: t.columns, bytesTouched: bytes.length, groupsSkipped: 0, groupsTotal: 1 };
    },
    async readWhere(columns, key, lo) {
      const t = parseCsv(bytes, { columns: [...new Set([...columns, key])] });
      const f = filterRows(t.columns, t.columns[key], lo, columns);
      return { ...f, bytesTouched: bytes.length, groupsSkipped: 0, groupsTotal: 1 };
    },
  };
}

const numeric = (cols: Record<string, unknown>): Record<string, NumericArray> => {
  for (const [name, c] of Object.entries(cols))
    if (!ArrayBuffer.isView(c)) throw new DataFormatError(`Column "${name}" is not numeric, so it cannot become part of a tensor.`);
  return cols as Record<string, NumericArray>;
};

/** Parquet: only the asked column chunks are fetched; a filter first drops row groups by min/max. */
export function parquetReader(bytes: Uint8Array, meta: FileMetaData = readParquetMetadata(bytes)): FormatReader {
  return {
    format: 'parquet',
    fileBytes: bytes.length,
    async read(columns) {
      const r = await readParquet(bytes, { columns, meta });
      return { rows: r.rows, columns: numeric(r.columns), bytesTouched: r.bytesTouched, groupsSkipped: 0, groupsTotal: meta.row_groups.length };
    },
    async readWhere(columns, key, lo) {
      const { keep } = groupsMayMatch(meta, key, lo, Infinity);
      const r = await readParquet(bytes, { columns: [...new Set([...columns, key])], groups: keep, meta });
      const cols = numeric(r.columns);
      const f = filterRows(cols, cols[key], lo, columns);
      return { ...f, bytesTouched: r.bytesTouched, groupsSkipped: meta.row_groups.length - keep.length, groupsTotal: meta.row_groups.length };
    },
  };
}

/**
 * Arrow IPC: opening parses only the framing; a column is a view into the file's bytes per record
 * batch (joined into one array here when the file has several batches: a memcpy, no decoding).
 * The IPC format carries no statistics, so a filter reads its key column in every batch.
 */
export function arrowReader(bytes: Uint8Array): FormatReader {
  let table: Table | null = null;
  const open = () => (table ??= openArrow(bytes));
  const readCols = (columns: string[]) => {
    const t = open();
    const cols: Record<string, NumericArray> = {};
    let touched = 0;
    for (const c of columns) {
      cols[c] = arrowColumnSlice(t, c, 0, t.numRows);
      touched += cols[c].byteLength;
    }
    return { t, cols, touched };
  };
  return {
    format: 'arrow',
    fileBytes: bytes.length,
    async read(columns) {
      table = null; // each read opens the file again, as the other formats do
      const { t, cols, touched } = readCols(columns);
      return { rows: t.numRows, columns: cols, bytesTouched: touched, groupsSkipped: 0, groupsTotal: t.children[0]?.data.length ?? 0 };
    },
    async readWhere(columns, key, lo) {
      table = null;
      const { t, cols, touched } = readCols([...new Set([...columns, key])]);
      const f = filterRows(cols, cols[key], lo, columns);
      return { ...f, bytesTouched: touched, groupsSkipped: 0, groupsTotal: t.children[0]?.data.length ?? 0 };
    },
  };
}

export function readerFor(format: FileFormat, bytes: Uint8Array): FormatReader {
  return format === 'csv' ? csvReader(bytes) : format === 'parquet' ? parquetReader(bytes) : arrowReader(bytes);
}
