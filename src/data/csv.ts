import { csvParseRows } from 'd3-dsv';
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
  /** Requested numeric columns parsed as float64 (the text's full precision). */
  columns: Record<string, Float64Array>;
}

/**
 * Parses CSV text with d3-dsv (RFC 4180 quoting) and converts the chosen columns to numbers.
 * A row format has no projection: every byte is scanned and every field split, whichever columns
 * are kept. `rowOffset` numbers lines in messages when `bytes` is a slice of a bigger file.
 */
export function parseCsv(bytes: Uint8Array, opts: { columns?: string[]; header?: string[]; lineOffset?: number } = {}): CsvTable {
  const text = new TextDecoder().decode(bytes);
  const lineOffset = opts.lineOffset ?? 0;
  let names = opts.header ?? null;
  let want: number[] = [];
  let out: Float64Array[] = [];
  let cap = 1024;
  let n = 0;
  csvParseRows(text, (fields, i) => {
    if (!names) {
      names = fields;
      return null;
    }
    if (!want.length && !out.length) setup(names);
    const line = lineOffset + i + 1;
    if (fields.length === 1 && fields[0] === '' && names.length > 1) return null; // a blank line
    if (fields.length !== names.length)
      throw new DataFormatError(
        `CSV line ${line} has ${fields.length} field${fields.length === 1 ? '' : 's'}; the header has ${names.length}. Ragged rows cannot form a table.`,
      );
    if (n === cap) {
      cap *= 2;
      out = out.map((c) => {
        const g = new Float64Array(cap);
        g.set(c);
        return g;
      });
    }
    for (let k = 0; k < want.length; k++) {
      const s = fields[want[k]];
      const v = s === '' ? NaN : +s;
      if (Number.isNaN(v)) throw new DataFormatError(`Column "${names[want[k]]}" is not numeric: line ${line} holds ${JSON.stringify(s.slice(0, 40))}.`);
      out[k][n] = v;
    }
    n++;
    return null;
  });
  function setup(h: string[]) {
    const cols = opts.columns ?? h;
    want = cols.map((c) => {
      const k = h.indexOf(c);
      if (k < 0) throw new DataFormatError(`CSV has no column "${c}"; its header is ${h.slice(0, 8).join(', ')}${h.length > 8 ? ', …' : ''}.`);
      return k;
    });
    out = want.map(() => new Float64Array(cap));
  }
  if (!names) throw new DataFormatError('CSV is empty: no header line.');
  if (!want.length && !out.length) setup(names);
  const columns: Record<string, Float64Array> = {};
  want.forEach((k, j) => (columns[names![k]] = out[j].slice(0, n)));
  return { names, rows: n, columns };
}

/** Column kinds of a CSV sample: numeric when every non-empty value parses as a number. */
export function csvColumnKinds(bytes: Uint8Array, sampleBytes = 1 << 20): { names: string[]; numeric: boolean[]; firstBad: (string | null)[] } {
  const head = bytes.subarray(0, Math.min(bytes.length, sampleBytes));
  const cut = head.length < bytes.length ? head.lastIndexOf(10) + 1 : head.length;
  const rows = csvParseRows(new TextDecoder().decode(head.subarray(0, cut || head.length)));
  const names = rows[0] ?? [];
  const firstBad: (string | null)[] = names.map(() => null);
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    if (row.length === 1 && row[0] === '') continue;
    if (row.length !== names.length)
      throw new DataFormatError(
        `CSV line ${i + 1} has ${row.length} field${row.length === 1 ? '' : 's'}; the header has ${names.length}. Ragged rows cannot form a table.`,
      );
    row.forEach((s, k) => {
      if (firstBad[k] === null && (s === '' || Number.isNaN(+s))) firstBad[k] = `line ${i + 1} holds ${JSON.stringify(s.slice(0, 40))}`;
    });
  }
  return { names, numeric: firstBad.map((b) => b === null), firstBad };
}

/**
 * The whole CSV as a table for conversion: CSV carries no types, so a column is INT32 when every
 * value is an integer in range, DOUBLE when every value is a number, else strings (what a
 * converter such as pyarrow.csv infers).
 */
export function csvToTable(bytes: Uint8Array): Dataset {
  const rows = csvParseRows(new TextDecoder().decode(bytes));
  const names = rows[0] ?? [];
  if (!names.length) throw new DataFormatError('CSV is empty: no header line.');
  const body = rows.slice(1).filter((r) => !(r.length === 1 && r[0] === '' && names.length > 1));
  body.forEach((r, i) => {
    if (r.length !== names.length)
      throw new DataFormatError(
        `CSV line ${i + 2} has ${r.length} field${r.length === 1 ? '' : 's'}; the header has ${names.length}. Ragged rows cannot form a table.`,
      );
  });
  const columns: Dataset['columns'] = {};
  names.forEach((name, k) => {
    const vals = body.map((r) => r[k]);
    const nums = vals.map((s) => (s === '' ? NaN : +s));
    if (nums.every((v) => Number.isFinite(v))) {
      const ints = nums.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31);
      columns[name] = ints ? Int32Array.from(nums) : Float64Array.from(nums);
    } else columns[name] = vals;
  });
  return { rows: body.length, names, columns, features: names.filter((n) => ArrayBuffer.isView(columns[n])) };
}
