import { float32, float64, int32, tableFromArrays, tableFromIPC, tableToIPC, utf8, dictionary, type DataType, type Table } from '@uwdata/flechette';
import type { Dataset } from './dataset';
import { DataFormatError } from './errors';

/**
 * Writes the table as an Arrow IPC file (flechette): record batches of `batchRows` rows, each
 * column one contiguous buffer, little-endian, 8-byte aligned. The source column is
 * dictionary-encoded, as Arrow stores categorical strings.
 */
export function writeArrow(ds: Dataset, batchRows: number): Uint8Array<ArrayBuffer> {
  const types: Record<string, DataType> = {};
  for (const n of ds.names) {
    const c = ds.columns[n];
    types[n] = c instanceof Float32Array ? float32() : c instanceof Float64Array ? float64() : c instanceof Int32Array ? int32() : dictionary(utf8());
  }
  const table = tableFromArrays(
    ds.names.map((n): [string, Dataset['columns'][string]] => [n, ds.columns[n]]),
    { types, maxBatchRows: batchRows },
  );
  const bytes = tableToIPC(table, { format: 'file' });
  if (!bytes) throw new Error('Arrow IPC encoding produced no bytes.');
  return new Uint8Array(bytes);
}

const MAGIC = [65, 82, 82, 79, 87, 49]; // "ARROW1"
export const isArrowFile = (b: Uint8Array) => b.length >= 6 && MAGIC.every((m, i) => b[i] === m);
export const isArrowStream = (b: Uint8Array) => b.length >= 8 && b[0] === 0xff && b[1] === 0xff && b[2] === 0xff && b[3] === 0xff;

/**
 * Opens an Arrow IPC file or stream without copying: each column's values are views into `bytes`.
 * Only the framing (schema and batch headers) is parsed here.
 */
export function openArrow(bytes: Uint8Array): Table {
  if (isArrowFile(bytes)) {
    const n = bytes.length;
    if (n < 12 || !MAGIC.every((m, i) => bytes[n - 6 + i] === m))
      throw new DataFormatError('Arrow file truncated: it starts with "ARROW1" but does not end with it.');
  } else if (!isArrowStream(bytes)) {
    throw new DataFormatError('Not an Arrow IPC file: it neither starts with "ARROW1" nor with a stream message.');
  }
  try {
    return tableFromIPC(bytes);
  } catch (e) {
    throw new DataFormatError(`Arrow IPC unreadable: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

/**
 * The values of `name` for rows [start, end): a zero-copy subarray when the range lies in one
 * record batch (the common case for a batch-sized read), else a copy of the parts.
 */
export function arrowColumnSlice(table: Table, name: string, start: number, end: number): Float32Array | Int32Array | Float64Array {
  const col = table.getChild(name);
  if (!col) throw new DataFormatError(`Arrow file has no column "${name}".`);
  let offset = 0;
  const parts: ArrayLike<number>[] = [];
  for (const batch of col.data) {
    const len = batch.length;
    if (offset + len > start && offset < end) {
      const values = (batch as unknown as { values: Float32Array | Int32Array | Float64Array }).values;
      if (!ArrayBuffer.isView(values)) throw new DataFormatError(`Arrow column "${name}" is not numeric.`);
      const a = Math.max(0, start - offset);
      const b = Math.min(len, end - offset);
      if (offset <= start && offset + len >= end) return values.subarray(a, b);
      parts.push(values.subarray(a, b));
    }
    offset += len;
    if (offset >= end) break;
  }
  const first = parts[0] as Float32Array;
  const out = new ((first?.constructor as Float32ArrayConstructor) ?? Float32Array)(end - start);
  let at = 0;
  for (const p of parts) {
    out.set(p as Float32Array, at);
    at += p.length;
  }
  return out;
}
