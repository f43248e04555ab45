import { DataFormatError } from './errors';

/**
 * A bounds check of an Arrow IPC file's framing, run before flechette decodes it. flechette trusts
 * the lengths of the flatbuffer vectors it reads (a record batch's column nodes and buffers, the
 * schema's fields, the file footer's blocks): one corrupt byte can make a vector claim millions of
 * entries, and decoding then loops over garbage for seconds or minutes. Here every such vector must
 * fit inside the message that holds it, every message inside the file, and every body after its
 * message; what flechette then reads is bounded by the file's size.
 */
class Flat {
  constructor(
    private v: DataView,
    private lo: number,
    private hi: number,
    private what: string,
  ) {}
  private bad(x: string): DataFormatError {
    return new DataFormatError(`Corrupt Arrow ${this.what}: ${x}.`);
  }
  private need(at: number, n: number): void {
    if (!(at >= this.lo && at + n <= this.hi)) throw this.bad(`a reference points outside it (byte ${at})`);
  }
  u8(at: number) {
    this.need(at, 1);
    return this.v.getUint8(at);
  }
  u16(at: number) {
    this.need(at, 2);
    return this.v.getUint16(at, true);
  }
  i32(at: number) {
    this.need(at, 4);
    return this.v.getInt32(at, true);
  }
  i64(at: number) {
    this.need(at, 8);
    return Number(this.v.getBigInt64(at, true));
  }
  /** Scalar field k of table t (0 when absent, its default). */
  i64f(t: number, k: number): number {
    const f = this.field(t, k);
    return f ? this.i64(f) : 0;
  }
  u8f(t: number, k: number): number {
    const f = this.field(t, k);
    return f ? this.u8(f) : 0;
  }
  /** Position of field k of the table at t, or 0 when absent. */
  field(t: number, k: number): number {
    const vt = t - this.i32(t);
    const size = this.u16(vt);
    if (size < 4 || size > 1024) throw this.bad('a table has an impossible layout');
    const off = 4 + 2 * k < size ? this.u16(vt + 4 + 2 * k) : 0;
    return off ? t + off : 0;
  }
  /** The table an offset field points at. */
  ref(at: number): number {
    const to = at + this.i32(at);
    this.need(to, 4);
    return to;
  }
  /** Start and length of the vector field k of table t, each element `stride` bytes, all checked to fit. */
  vector(t: number, k: number, stride: number): [number, number] {
    const f = this.field(t, k);
    if (!f) return [0, 0];
    const v = this.ref(f);
    const n = this.i32(v);
    if (n < 0 || v + 4 + n * stride > this.hi)
      throw this.bad(`a list claims ${n} entries, more than its ${this.hi - this.lo} bytes can hold`);
    return [v + 4, n];
  }
}

function checkBatch(f: Flat, rb: number, body: number): void {
  const length = f.i64f(rb, 0);
  if (length < 0 || length > body * 8 + 64)
    throw new DataFormatError(`Corrupt Arrow record batch: it claims ${length} rows in a ${body}-byte body.`);
  f.vector(rb, 1, 16);
  const [b, nb] = f.vector(rb, 2, 16);
  for (let i = 0; i < nb; i++) {
    const off = f.i64(b + 16 * i);
    const len = f.i64(b + 16 * i + 8);
    if (off < 0 || len < 0 || off + len > body)
      throw new DataFormatError(
        `Corrupt Arrow record batch: a buffer at bytes ${off}–${off + len} lies outside its ${body}-byte body.`,
      );
  }
  f.vector(rb, 4, 8);
}

function checkFields(f: Flat, t: number, k: number, depth: number): void {
  if (depth > 32) throw new DataFormatError('Corrupt Arrow schema: fields nest more than 32 deep.');
  const [v, n] = f.vector(t, k, 4);
  for (let i = 0; i < n; i++) checkFields(f, f.ref(v + 4 * i), 5, depth + 1); // Field.children is field 5
}

/** Checks one message at `at` (continuation marker or legacy length); returns where the next begins, or -1 at the end marker. */
function checkMessage(view: DataView, at: number, end: number): number {
  if (at + 4 > end) return -1;
  let len = view.getInt32(at, true);
  let meta = at + 4;
  if (len === -1) {
    if (at + 8 > end) return -1;
    len = view.getInt32(at + 4, true);
    meta = at + 8;
  }
  if (len === 0) return -1;
  if (len < 0 || meta + len > end)
    throw new DataFormatError(
      `Corrupt Arrow message at byte ${at}: its header claims ${len} bytes, past the end of the file.`,
    );
  const f = new Flat(view, meta, meta + len, `message at byte ${at}`);
  const root = f.ref(meta);
  const type = f.u8f(root, 1);
  const header = f.field(root, 2) ? f.ref(f.field(root, 2)) : 0;
  const body = f.i64f(root, 3);
  if (body < 0 || meta + len + body > end)
    throw new DataFormatError(
      `Corrupt Arrow message at byte ${at}: its body claims ${body} bytes, past the end of the file.`,
    );
  if (header) {
    if (type === 1) checkFields(f, header, 1, 0);
    else if (type === 3) checkBatch(f, header, body);
    else if (type === 2) {
      const data = f.field(header, 1);
      if (data) checkBatch(f, f.ref(data), body);
    }
  }
  return meta + len + body;
}

/** Checks an Arrow IPC file ("ARROW1" … footer … "ARROW1") or stream; throws a named error at the first problem. */
export function checkArrowFraming(bytes: Uint8Array, file: boolean): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length;
  if (file) {
    const footerLen = view.getInt32(end - 10, true);
    const footer = end - 10 - footerLen;
    if (footerLen <= 0 || footer < 8)
      throw new DataFormatError(
        `Corrupt Arrow file footer: its length field says ${footerLen} bytes, the file has ${end - 18} to spare.`,
      );
    const f = new Flat(view, footer, end - 10, 'file footer');
    const root = f.ref(footer);
    const schema = f.field(root, 1);
    if (schema) checkFields(f, f.ref(schema), 1, 0);
    for (const k of [2, 3]) {
      const [v, n] = f.vector(root, k, 24);
      for (let i = 0; i < n; i++) {
        const off = f.i64(v + 24 * i);
        if (off < 8 || off >= footer)
          throw new DataFormatError(
            `Corrupt Arrow file footer: a ${k === 2 ? 'dictionary' : 'record'} batch is placed at byte ${off}, outside the file's data.`,
          );
        checkMessage(view, off, footer);
      }
    }
    end = footer;
  }
  for (let at = file ? 8 : 0, n = 0; at >= 0 && at < end; n++) {
    if (n > 1e6) throw new DataFormatError('Corrupt Arrow stream: more than a million messages.');
    at = checkMessage(view, at, end);
  }
}
