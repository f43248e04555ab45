import {
  float32,
  float64,
  int32,
  tableFromArrays,
  tableToIPC,
  utf8,
  dictionary,
  type DataType,
  type Table,
} from '@uwdata/flechette';
import { decodeIPC, type IpcBatch, type IpcData } from '@uwdata/flechette/src/decode/decode-ipc.js';
import { createTable } from '@uwdata/flechette/src/decode/table-from-ipc.js';
import type { Dataset } from './dataset';
import { checkArrowFraming } from './arrowFraming';
import { DataFormatError } from './errors';
import { isNumericKind, type ValueKind } from './parquet';

/**
 * Writes the table as an Arrow IPC file (flechette): record batches of `batchRows` rows, each
 * column one contiguous buffer, little-endian, 8-byte aligned. The source column is
 * dictionary-encoded, as Arrow stores categorical strings.
 */
export function writeArrow(ds: Dataset, batchRows: number): Uint8Array<ArrayBuffer> {
  const types: Record<string, DataType> = {};
  for (const n of ds.names) {
    const c = ds.columns[n];
    types[n] =
      c instanceof Float32Array
        ? float32()
        : c instanceof Float64Array
          ? float64()
          : c instanceof Int32Array
            ? int32()
            : dictionary(utf8());
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
export const isArrowStream = (b: Uint8Array) =>
  b.length >= 8 && b[0] === 0xff && b[1] === 0xff && b[2] === 0xff && b[3] === 0xff;

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
  checkArrowFraming(bytes, isArrowFile(bytes));
  let data: IpcData;
  try {
    data = decodeIPC(bytes);
  } catch (e) {
    throw new DataFormatError(
      `Arrow IPC unreadable: its schema or record batch headers are corrupt (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  if (!data.schema) throw new DataFormatError('Arrow IPC unreadable: it holds no schema message.');
  checkFraming(data);
  let t: Table;
  try {
    t = createTable(data);
  } catch (e) {
    throw new DataFormatError(
      `Arrow IPC unreadable: its record batches do not match its schema (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  checkArrow(t);
  return t;
}

/**
 * Batch headers checked before flechette builds columns from them: a corrupt length (a row count
 * of 2^40 over a 4 KB body) would otherwise have it loop and allocate for minutes. A batch cannot
 * hold more rows than 8 per body byte plus a few (a bit-packed column is the densest), and every
 * buffer must lie inside the message body.
 */
function checkFraming(data: IpcData): void {
  const batches = [
    ...data.records.map((r, i) => ({ what: `record batch ${i}`, rb: r, body: r?.body })),
    ...data.dictionaries.map((d, i) => ({
      what: `dictionary batch ${i}`,
      rb: d?.data ?? (d as unknown as IpcBatch),
      body: d?.body ?? d?.data?.body,
    })),
  ];
  for (const { what, rb, body } of batches) {
    if (!rb) throw new DataFormatError(`Corrupt Arrow ${what}: its block in the file footer points at no message.`);
    const bodyBytes = body?.byteLength ?? 0;
    const most = bodyBytes * 8 + 64;
    const bad = (x: string) => new DataFormatError(`Corrupt Arrow ${what}: ${x}.`);
    if (!(rb.length >= 0 && rb.length <= most)) throw bad(`it claims ${rb.length} rows in a ${bodyBytes}-byte body`);
    for (const n of rb.nodes ?? []) {
      if (!(n.length >= 0 && n.length <= most))
        throw bad(`a column claims ${n.length} values in a ${bodyBytes}-byte body`);
      if (!(n.nullCount >= 0 && n.nullCount <= n.length))
        throw bad(`a column claims ${n.nullCount} NULLs in ${n.length} values`);
    }
    for (const r of rb.regions ?? [])
      if (!(r.offset >= 0 && r.length >= 0 && r.offset + r.length <= bodyBytes))
        throw bad(`a buffer at bytes ${r.offset}–${r.offset + r.length} lies outside its ${bodyBytes}-byte body`);
  }
}

/** Buffers shorter than their batch claims would read past them (typed arrays return undefined there): refuse by name. */
function checkArrow(t: Table): void {
  const n = t.numRows;
  t.schema.fields.forEach((f, k) => {
    const col = t.children[k];
    if (!col || col.length !== n)
      throw new DataFormatError(
        `Arrow column "${f.name}" holds ${col?.length ?? 0} rows, the table ${n}: the file is corrupt.`,
        { column: f.name },
      );
    col.data.forEach((b, i) => {
      const bad = (what: string) =>
        new DataFormatError(`Corrupt Arrow record batch ${i}, column "${f.name}": ${what}.`, {
          column: f.name,
          rowGroup: i,
        });
      if (b.nullCount > 0 && (!b.validity || b.validity.length * 8 < b.length))
        throw bad(`it says ${b.nullCount} NULLs but its validity bitmap is missing or short`);
      if (b.nullCount < 0 || b.nullCount > b.length) throw bad(`it says ${b.nullCount} NULLs in ${b.length} rows`);
      const kind = arrowKind(f.type);
      if (
        isNumericKind(kind.kind) &&
        !(ArrayBuffer.isView(b.values) && (b.values as unknown as ArrayLike<unknown>).length >= b.length)
      )
        throw bad(`its values buffer holds fewer than its ${b.length} rows`);
    });
  });
}

export interface ArrowKind {
  kind: ValueKind;
  bits: number;
  display: string;
}

/** The Arrow field type in the column model's words (as Parquet's: int/uint/float/bool/string/date/…). */
export function arrowKind(type: unknown): ArrowKind {
  const o = type as {
    typeId?: number;
    bitWidth?: number;
    signed?: boolean;
    precision?: number;
    unit?: number;
    dictionary?: unknown;
  };
  switch (o.typeId) {
    case 2:
      return {
        kind: o.signed === false ? 'uint' : 'int',
        bits: o.bitWidth ?? 32,
        display: `${o.signed === false ? 'uint' : 'int'}${o.bitWidth}`,
      };
    case 3:
      return o.precision === 0
        ? { kind: 'other', bits: 16, display: 'float16' }
        : { kind: 'float', bits: o.precision === 1 ? 32 : 64, display: o.precision === 1 ? 'float32' : 'float64' };
    case 4:
    case 19:
      return { kind: 'binary', bits: 0, display: 'binary' };
    case 5:
    case 20:
      return { kind: 'string', bits: 0, display: 'string' };
    case 6:
      return { kind: 'bool', bits: 0, display: 'bool' };
    case 7:
      return { kind: 'decimal', bits: 0, display: 'decimal' };
    case 8:
      return { kind: 'date', bits: 0, display: 'date' };
    case 9:
      return { kind: 'time', bits: 0, display: 'time' };
    case 10:
      return { kind: 'timestamp', bits: 0, display: 'timestamp' };
    case -1:
      return { kind: 'string', bits: 0, display: `dictionary<${arrowKind(o.dictionary).display}>` };
    case 12:
    case 13:
    case 16:
    case 17:
      return { kind: 'nested', bits: 0, display: o.typeId === 13 ? 'struct' : o.typeId === 17 ? 'map' : 'list' };
    default:
      return { kind: 'other', bits: 0, display: `Arrow type ${o.typeId}` };
  }
}

const MAX_SAFE = 2 ** 53;

/**
 * A numeric column's values and validity for all rows, in the array its type needs (int8–int32 and
 * uint8–16 in Int32Array, uint32 and 64-bit integers in Float64Array, refused past 2^53).
 * A single batch of int32/float32/float64 without NULLs is a zero-copy view into the file.
 */
export function arrowColumn(
  table: Table,
  name: string,
): { values: Float32Array | Int32Array | Float64Array; valid: Uint8Array | null } {
  const k = table.schema.fields.findIndex((f) => f.name === name);
  if (k < 0) throw new DataFormatError(`Arrow file has no column "${name}".`, { column: name });
  const field = table.schema.fields[k];
  const kind = arrowKind(field.type);
  if (!isNumericKind(kind.kind))
    throw new DataFormatError(
      `Arrow column "${name}" is ${kind.display}, not a number: it cannot become part of a tensor.`,
      { column: name },
    );
  const batches = table.children[k].data;
  const n = table.numRows;
  if (batches.length === 1 && !batches[0].nullCount) {
    const v = batches[0].values as unknown;
    if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array)
      return { values: v.subarray(0, n), valid: null };
  }
  const small = (kind.kind === 'int' && kind.bits <= 32) || (kind.kind === 'uint' && kind.bits < 32);
  const values =
    kind.kind === 'float' && kind.bits === 32 ? new Float32Array(n) : small ? new Int32Array(n) : new Float64Array(n);
  let valid: Uint8Array | null = null;
  let at = 0;
  for (const b of batches) {
    const src = b.values as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < b.length; i++, at++) {
      if (b.nullCount && !((b.validity![i >> 3] >> (i & 7)) & 1)) {
        (valid ??= new Uint8Array(n).fill(1))[at] = 0;
        continue;
      }
      const x = src[i];
      if (typeof x === 'bigint') {
        if (x > MAX_SAFE || x < -MAX_SAFE)
          throw new DataFormatError(
            `Arrow column "${name}" (${kind.display}) holds ${x} in row ${at}, past 2^53: a float64 tensor cannot hold it exactly.`,
            { column: name },
          );
        values[at] = Number(x);
      } else values[at] = x;
    }
  }
  return { values, valid };
}

/**
 * The values of `name` for rows [start, end): a zero-copy subarray when the range lies in one
 * record batch (the common case for a batch-sized read), else a copy of the parts.
 */
export function arrowColumnSlice(
  table: Table,
  name: string,
  start: number,
  end: number,
): Float32Array | Int32Array | Float64Array {
  const col = table.getChild(name);
  if (!col) throw new DataFormatError(`Arrow file has no column "${name}".`);
  let offset = 0;
  const parts: ArrayLike<number>[] = [];
  for (const batch of col.data) {
    const len = batch.length;
    if (offset + len > start && offset < end) {
      const values = (batch as unknown as { values: Float32Array | Int32Array | Float64Array }).values;
      // Utf8 and Bool batches hold byte arrays too: only the declared type says what is a number.
      if (!(values instanceof Float32Array || values instanceof Float64Array || values instanceof Int32Array))
        throw new DataFormatError(
          `Arrow column "${name}" is ${arrowKind(batch.type).display}: this reader slices int32, float32 and float64 columns.`,
        );
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
