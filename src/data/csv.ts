import { csvParseRows, dsvFormat } from 'd3-dsv';
import type { Dataset } from './dataset';
import { DataFormatError } from './errors';

const enc = new TextEncoder();

/**
 * Writes the table as CSV text with a header line. Numbers are written digit by digit ("%.4f" for
 * floats): toFixed() on millions of values would make preparing the file, not reading it, the cost.
 */
export function writeCsv(ds: Dataset): Uint8Array<ArrayBuffer> {
  const cols = ds.names.map((n) => ds.columns[n]);
  const header = enc.encode(ds.names.join(',') + '\n');
  let bytes = new Uint8Array(Math.max(256, header.length + ds.rows * (ds.names.length * 9 + 1)));
  bytes.set(header);
  let len = header.length;
  const put = (b: number) => (bytes[len++] = b);
  for (let r = 0; r < ds.rows; r++) {
    if (bytes.length - len < ds.names.length * 32 + 1) {
      const grown = new Uint8Array(bytes.length * 2);
      grown.set(bytes.subarray(0, len));
      bytes = grown;
    }
    for (let c = 0; c < cols.length; c++) {
      if (c) put(44);
      const col = cols[c];
      if (col instanceof Float32Array) {
        let k = Math.round(col[r] * 1e4);
        if (k < 0) {
          put(45);
          k = -k;
        }
        const int = Math.floor(k / 1e4);
        const frac = k - int * 1e4;
        len = writeInt(bytes, len, int);
        put(46);
        put(48 + Math.floor(frac / 1000));
        put(48 + (Math.floor(frac / 100) % 10));
        put(48 + (Math.floor(frac / 10) % 10));
        put(48 + (frac % 10));
      } else if (col instanceof Int32Array) {
        let v = col[r];
        if (v < 0) {
          put(45);
          v = -v;
        }
        len = writeInt(bytes, len, v);
      } else if (col instanceof Float64Array) {
        const s = enc.encode(String(col[r]));
        bytes.set(s, len);
        len += s.length;
      } else {
        // Our string values are plain words; a general writer would quote commas and quotes.
        const s = enc.encode(col[r]);
        bytes.set(s, len);
        len += s.length;
      }
    }
    put(10);
  }
  return bytes.slice(0, len);
}

function writeInt(bytes: Uint8Array, at: number, v: number): number {
  if (v === 0) {
    bytes[at] = 48;
    return at + 1;
  }
  let digits = 0;
  for (let x = v; x > 0; x = Math.floor(x / 10)) digits++;
  for (let d = digits - 1, x = v; d >= 0; d--, x = Math.floor(x / 10)) bytes[at + d] = 48 + (x % 10);
  return at + digits;
}

/** Delimiters tried when sniffing, in the order a tie is broken (DuckDB's auto-detection tries the same four). */
export const CSV_DELIMITERS = [',', '|', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];
export const DELIMITER_NAME: Record<CsvDelimiter, string> = {
  ',': 'comma',
  '|': 'pipe',
  ';': 'semicolon',
  '\t': 'tab',
};

const BOM = '\uFEFF';

/** The text of a CSV file: UTF-8, a leading byte-order mark dropped (Excel writes one). */
export function csvText(bytes: Uint8Array): string {
  const t = new TextDecoder().decode(bytes);
  return t.startsWith(BOM) ? t.slice(1) : t;
}

/**
 * The delimiter: the candidate that splits the first lines (up to 20, quotes respected) into the
 * same number of fields on every line, the most fields winning; one column when none splits.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  const head = text.slice(0, 64 * 1024);
  let best: CsvDelimiter = ',';
  let bestFields = 1;
  for (const d of CSV_DELIMITERS) {
    const lines = dsvFormat(d).parseRows(head).slice(0, 20);
    // The last line of a cut sample may be partial.
    if (head.length < text.length && lines.length > 1) lines.pop();
    const body = lines.filter((r) => !(r.length === 1 && r[0] === ''));
    if (!body.length) continue;
    const n = body[0].length;
    if (n > bestFields && body.every((r) => r.length === n)) {
      best = d;
      bestFields = n;
    }
  }
  return best;
}

const INT = /^-?(0|[1-9][0-9]*)$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;
const BIN = /^0[bB][01]+$/;
const FLOAT = /^-?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?$/;

/**
 * A CSV field as a number, by the grammar DuckDB's CSV reader accepts (checked against it in
 * test/data/interop.test.ts): optional surrounding spaces; an integer without a leading zero or
 * plus sign; a hexadecimal (0x1F) or binary (0b101) integer; a decimal with an optional exponent
 * and no leading zeros; or nan. Not numbers: "", " ", "+5", "00012" (a code, not a count),
 * "Infinity", "1_000", "0o17". Returns undefined for text.
 */
export function csvNumber(field: string): number | undefined {
  const s = field.trim();
  if (!s) return undefined;
  if (INT.test(s)) return +s;
  if (HEX.test(s)) return parseInt(s.slice(2), 16);
  if (BIN.test(s)) return parseInt(s.slice(2), 2);
  if (FLOAT.test(s)) {
    const int = s.replace(/^-/, '').split(/[.eE]/)[0];
    return int.length > 1 && int[0] === '0' ? undefined : +s;
  }
  return s.toLowerCase() === 'nan' ? NaN : undefined;
}

/** A blank line: skipped in a table of several columns, a NULL row in a one-column file (as DuckDB reads both). */
const blank = (fields: string[], columns: number) => columns > 1 && fields.length === 1 && fields[0] === '';

function ragged(line: number, got: number, want: number): DataFormatError {
  return new DataFormatError(
    `CSV line ${line} has ${got} field${got === 1 ? '' : 's'}; the header has ${want}. Ragged rows cannot form a table.`,
  );
}

/** Byte offset of every line start (after the header), plus the end: what a reader indexes once on open. */
export function csvLineIndex(bytes: Uint8Array): { header: string[]; lineStart: Uint32Array } {
  const starts: number[] = [];
  let i = bytes.indexOf(10);
  if (i < 0) throw new DataFormatError('CSV has no complete line: the header must end with a newline.');
  const header = csvParseRows(new TextDecoder().decode(bytes.subarray(0, i)))[0] ?? [];
  for (i = i + 1; i < bytes.length;) {
    starts.push(i);
    const nl = bytes.indexOf(10, i);
    i = nl < 0 ? bytes.length : nl + 1;
  }
  const lineStart = new Uint32Array(starts.length + 1);
  lineStart.set(starts);
  lineStart[starts.length] = bytes.length;
  return { header, lineStart };
}

export interface CsvTable {
  names: string[];
  rows: number;
  /** Requested numeric columns parsed as float64 (the text's full precision); NULL rows hold 0 under the mask. */
  columns: Record<string, Float64Array>;
  /** Per requested column: 0 where the field was empty (NULL); null when none was. */
  valid: Record<string, Uint8Array | null>;
  delimiter: CsvDelimiter;
}

/**
 * Parses CSV text with d3-dsv (RFC 4180 quoting; the delimiter sniffed unless given) and converts
 * the chosen columns to numbers by csvNumber; an empty field is NULL. A row format has no
 * projection: every byte is scanned and every field split, whichever columns are kept.
 * `lineOffset` numbers lines in messages when `bytes` is a slice of a bigger file.
 */
export function parseCsv(
  bytes: Uint8Array,
  opts: { columns?: string[]; header?: string[]; lineOffset?: number; delimiter?: CsvDelimiter } = {},
): CsvTable {
  const text = csvText(bytes);
  const delimiter = opts.delimiter ?? sniffDelimiter(text);
  const lineOffset = opts.lineOffset ?? 0;
  let names = opts.header ?? null;
  let want: number[] = [];
  let out: Float64Array[] = [];
  let valid: (Uint8Array | null)[] = [];
  let cap = 1024;
  let n = 0;
  let ready = false;
  const setup = (h: string[]) => {
    const cols = opts.columns ?? h;
    want = cols.map((c) => {
      const k = h.indexOf(c);
      if (k < 0)
        throw new DataFormatError(
          `CSV has no column "${c}"; its header is ${h.slice(0, 8).join(', ')}${h.length > 8 ? ', …' : ''}.`,
          { column: c },
        );
      return k;
    });
    out = want.map(() => new Float64Array(cap));
    valid = want.map(() => null);
    ready = true;
  };
  dsvFormat(delimiter).parseRows(text, (fields, i) => {
    if (!names) {
      names = fields;
      return null;
    }
    if (!ready) setup(names);
    const line = lineOffset + i + 1;
    if (blank(fields, names.length)) return null;
    if (fields.length !== names.length) throw ragged(line, fields.length, names.length);
    if (n === cap) {
      cap *= 2;
      const grow = <T extends Float64Array | Uint8Array>(c: T) => {
        const g = new (c.constructor as { new (n: number): T })(cap);
        g.set(c);
        return g;
      };
      out = out.map(grow);
      valid = valid.map((v) => v && grow(v));
    }
    for (let k = 0; k < want.length; k++) {
      const s = fields[want[k]];
      if (s === '') {
        if (!valid[k]) valid[k] = new Uint8Array(cap).fill(1);
        valid[k]![n] = 0;
        continue;
      }
      const v = csvNumber(s);
      if (v === undefined)
        throw new DataFormatError(
          `Column "${names[want[k]]}" is not numeric: line ${line} holds ${JSON.stringify(s.slice(0, 40))}.`,
          { column: names[want[k]] },
        );
      out[k][n] = v;
    }
    n++;
    return null;
  });
  if (!names) throw new DataFormatError('CSV is empty: no header line.');
  if (!ready) setup(names);
  const columns: Record<string, Float64Array> = {};
  const masks: Record<string, Uint8Array | null> = {};
  want.forEach((k, j) => {
    columns[names![k]] = out[j].slice(0, n);
    masks[names![k]] = valid[j] && valid[j]!.slice(0, n);
  });
  return { names, rows: n, columns, valid: masks, delimiter };
}

export interface CsvKinds {
  names: string[];
  numeric: boolean[];
  firstBad: (string | null)[];
  /** Empty fields (NULLs) per column, in the rows read. */
  nulls: number[];
  /** Data rows as the parser counts them (quoted newlines inside a field, no final newline, blank lines). */
  rows: number;
  delimiter: CsvDelimiter;
  /** False when only the first `sampleBytes` were read: rows and nulls then count that part. */
  whole: boolean;
}

/**
 * Column kinds of a CSV: numeric when every non-empty value is a number by csvNumber (empty
 * fields are NULL and do not decide). Reads the first `sampleBytes` (cut at a line end).
 */
export function csvColumnKinds(bytes: Uint8Array, sampleBytes = 1 << 20): CsvKinds {
  const whole = bytes.length <= sampleBytes;
  const head = whole ? bytes : bytes.subarray(0, bytes.subarray(0, sampleBytes).lastIndexOf(10) + 1 || sampleBytes);
  const text = csvText(head);
  const delimiter = sniffDelimiter(text);
  let names: string[] | null = null;
  let firstBad: (string | null)[] = [];
  let nulls: number[] = [];
  let rows = 0;
  dsvFormat(delimiter).parseRows(text, (row, i) => {
    if (!names) {
      names = row;
      firstBad = names.map(() => null);
      nulls = names.map(() => 0);
      return null;
    }
    if (blank(row, names.length)) return null;
    if (row.length !== names.length) throw ragged(i + 1, row.length, names.length);
    rows++;
    row.forEach((s, k) => {
      if (s === '') nulls[k]++;
      else if (firstBad[k] === null && csvNumber(s) === undefined)
        firstBad[k] = `line ${i + 1} holds ${JSON.stringify(s.slice(0, 40))}`;
    });
    return null;
  });
  const n: string[] = names ?? [];
  // A column with no value at all (header only, or every field empty) has no number in it.
  const numeric = firstBad.map((b, k) => b === null && nulls[k] < rows);
  firstBad = firstBad.map((b, k) => b ?? (numeric[k] ? null : rows ? 'every field is empty' : 'no rows'));
  return { names: n, numeric, firstBad, nulls, rows, delimiter, whole };
}

/**
 * The whole CSV as a table for conversion: CSV carries no types, so a column is INT32 when every
 * value is an integer in range, DOUBLE when every value is a number (by csvNumber, as inspect
 * decides), else strings; empty fields are NULL in numeric columns (written as Parquet NULLs).
 */
export function csvToTable(bytes: Uint8Array): Dataset {
  const text = csvText(bytes);
  const rows = dsvFormat(sniffDelimiter(text)).parseRows(text);
  const names = rows[0] ?? [];
  if (!names.length) throw new DataFormatError('CSV is empty: no header line.');
  const body = rows.slice(1).filter((r) => !blank(r, names.length));
  body.forEach((r, i) => {
    if (r.length !== names.length) throw ragged(i + 2, r.length, names.length);
  });
  const columns: Dataset['columns'] = {};
  const valid: Record<string, Uint8Array> = {};
  names.forEach((name, k) => {
    const vals = body.map((r) => r[k]);
    const nums = vals.map((s) => (s === '' ? null : csvNumber(s)));
    if (nums.some((v) => v !== null) && nums.every((v) => v !== undefined)) {
      const present = nums.filter((v): v is number => v !== null);
      const ints = present.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31);
      const arr = ints ? new Int32Array(nums.length) : new Float64Array(nums.length);
      nums.forEach((v, i) => (arr[i] = v ?? 0));
      columns[name] = arr;
      if (present.length < nums.length) valid[name] = Uint8Array.from(nums, (v) => (v === null ? 0 : 1));
    } else columns[name] = vals;
  });
  return {
    rows: body.length,
    names,
    columns,
    features: names.filter((n) => ArrayBuffer.isView(columns[n])),
    ...(Object.keys(valid).length ? { valid } : {}),
  };
}
