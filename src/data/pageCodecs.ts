import { inflateSync } from 'fflate';
import { decompress as zstdDecompress } from 'fzstd';
import { decompressBrotli } from 'hyparquet-compressors';

/**
 * Bounded, validated page decompressors for Parquet. Each returns exactly the `size` bytes the page
 * header declares or throws an Error saying what is wrong with the page's bytes (the caller adds
 * the file, column, row group and page). Why our own boundary rather than hyparquet-compressors
 * as is: its ZSTD entry ignores the declared size, so one corrupt byte can make fzstd grow its
 * output past 2 GB and abort the process; its gzip checks no CRC; hyparquet's snappy and the LZ4
 * decoders write through unchecked back-references (typed arrays drop out-of-range writes
 * silently), so a corrupt page decodes to garbage instead of an error. (No upstream issue for
 * these was found in hyparam/hyparquet-compressors; the ZSTD one is a one-line fix there: pass
 * `new Uint8Array(outputLength)` to fzstd's decompress.)
 */
export type PageDecompressor = (input: Uint8Array, size: number) => Uint8Array;

/** No page is allowed to decompress past this, whatever its header says (a page is ~1 MB by default). */
export const MAX_PAGE_BYTES = 64 * 2 ** 20;

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (IEEE, as gzip and Parquet page headers use it), unsigned. */
export function crc32(b: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function varint(b: Uint8Array, at: number): [number, number] {
  let v = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= b.length) throw new Error('its length prefix runs past the page');
    const x = b[at++];
    v += (x & 0x7f) * 2 ** shift;
    if (!(x & 0x80)) return [v, at];
  }
  throw new Error('its length prefix is not a valid varint');
}

/** Snappy raw format, every tag checked against the input and output bounds. */
export function snappyPage(input: Uint8Array, size: number): Uint8Array {
  const [len, start] = varint(input, 0);
  if (len !== size) throw new Error(`snappy says it holds ${len} bytes, the page header ${size}`);
  const out = new Uint8Array(size);
  let o = 0;
  for (let i = start; i < input.length;) {
    const tag = input[i++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        if (i + bytes > input.length) throw new Error('a snappy literal length runs past the page');
        n = 0;
        for (let k = 0; k < bytes; k++) n += input[i + k] * 2 ** (8 * k);
        i += bytes;
      }
      n += 1;
      if (i + n > input.length) throw new Error('a snappy literal runs past the page');
      if (o + n > size) throw new Error('snappy data decodes past the declared size');
      out.set(input.subarray(i, i + n), o);
      i += n;
      o += n;
      continue;
    }
    let n: number;
    let off: number;
    if (kind === 1) {
      if (i + 1 > input.length) throw new Error('a snappy copy runs past the page');
      n = ((tag >>> 2) & 7) + 4;
      off = ((tag >>> 5) << 8) | input[i++];
    } else {
      const bytes = kind === 2 ? 2 : 4;
      if (i + bytes > input.length) throw new Error('a snappy copy runs past the page');
      n = (tag >>> 2) + 1;
      off = 0;
      for (let k = 0; k < bytes; k++) off += input[i + k] * 2 ** (8 * k);
      i += bytes;
    }
    if (off === 0 || off > o) throw new Error(`a snappy back-reference points ${off} bytes back from byte ${o}`);
    if (o + n > size) throw new Error('snappy data decodes past the declared size');
    for (let k = 0; k < n; k++, o++) out[o] = out[o - off];
  }
  if (o !== size) throw new Error(`snappy data ends after ${o} of ${size} bytes`);
  return out;
}

/** Gzip (RFC 1952): header, deflate body, then CRC-32 and size of the data, both checked. */
export function gzipPage(input: Uint8Array, size: number): Uint8Array {
  if (input.length < 18 || input[0] !== 0x1f || input[1] !== 0x8b || input[2] !== 8)
    throw new Error('it does not start with a gzip header');
  const flags = input[3];
  let i = 10;
  if (flags & 4) i += 2 + (input[10] | (input[11] << 8));
  for (const bit of [8, 16]) if (flags & bit) while (i < input.length && input[i++] !== 0);
  if (flags & 2) i += 2;
  if (i > input.length - 8) throw new Error('its gzip header runs past the page');
  const n = input.length;
  const isize = (input[n - 4] | (input[n - 3] << 8) | (input[n - 2] << 16) | (input[n - 1] << 24)) >>> 0;
  if (isize !== size % 2 ** 32) throw new Error(`gzip says it holds ${isize} bytes, the page header ${size}`);
  const out = new Uint8Array(size);
  // With an output buffer fflate stops at its end (writes past it are dropped), so memory is bounded; the CRC catches the rest.
  inflateSync(input.subarray(i, n - 8), { out });
  const want = (input[n - 8] | (input[n - 7] << 8) | (input[n - 6] << 16) | (input[n - 5] << 24)) >>> 0;
  if (crc32(out) !== want) throw new Error('its gzip CRC-32 does not match the data (the page is corrupt)');
  return out;
}

/** Zstandard into a buffer of the declared size; a frame that states another content size is refused first. */
export function zstdPage(input: Uint8Array, size: number): Uint8Array {
  if (input.length < 6 || input[0] !== 0x28 || input[1] !== 0xb5 || input[2] !== 0x2f || input[3] !== 0xfd)
    throw new Error('it does not start with a zstd frame');
  const fhd = input[4];
  const fcsFlag = fhd >>> 6;
  const single = (fhd >>> 5) & 1;
  const didFlag = fhd & 3;
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fcsFlag];
  const at = 5 + (single ? 0 : 1) + [0, 1, 2, 4][didFlag];
  if (fcsBytes) {
    if (at + fcsBytes > input.length) throw new Error('its zstd frame header runs past the page');
    let fcs = 0;
    for (let k = 0; k < fcsBytes; k++) fcs += input[at + k] * 2 ** (8 * k);
    if (fcsBytes === 2) fcs += 256;
    if (fcs !== size) throw new Error(`zstd says it holds ${fcs} bytes, the page header ${size}`);
  }
  const out = new Uint8Array(size);
  const got = zstdDecompress(input, out);
  if (got.length !== size) throw new Error(`zstd data decodes to ${got.length} bytes, the page header says ${size}`);
  return got;
}

/** One LZ4 block (no framing), every match checked. Returns the bytes written. */
function lz4Block(input: Uint8Array, out: Uint8Array, o: number): number {
  for (let i = 0; i < input.length;) {
    const token = input[i++];
    let lit = token >>> 4;
    if (lit === 15)
      for (let x = 255; x === 255;) {
        if (i >= input.length) throw new Error('an lz4 literal length runs past the page');
        lit += x = input[i++];
      }
    if (i + lit > input.length) throw new Error('an lz4 literal runs past the page');
    if (o + lit > out.length) throw new Error('lz4 data decodes past the declared size');
    out.set(input.subarray(i, i + lit), o);
    i += lit;
    o += lit;
    if (i === input.length) break; // the last sequence is literals only
    if (i + 2 > input.length) throw new Error('an lz4 match offset runs past the page');
    const off = input[i] | (input[i + 1] << 8);
    i += 2;
    if (off === 0 || off > o) throw new Error(`an lz4 back-reference points ${off} bytes back from byte ${o}`);
    let n = (token & 15) + 4;
    if ((token & 15) === 15)
      for (let x = 255; x === 255;) {
        if (i >= input.length) throw new Error('an lz4 match length runs past the page');
        n += x = input[i++];
      }
    if (o + n > out.length) throw new Error('lz4 data decodes past the declared size');
    for (let k = 0; k < n; k++, o++) out[o] = out[o - off];
  }
  return o;
}

export function lz4RawPage(input: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const o = lz4Block(input, out, 0);
  if (o !== size) throw new Error(`lz4 data ends after ${o} of ${size} bytes`);
  return out;
}

/** Parquet's deprecated LZ4: Hadoop framing (big-endian sizes per block) when it parses as such, else one raw block. */
export function lz4HadoopPage(input: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let i = 0;
  let o = 0;
  const be = (k: number) => ((input[k] << 24) | (input[k + 1] << 16) | (input[k + 2] << 8) | input[k + 3]) >>> 0;
  while (i + 8 <= input.length) {
    const outLen = be(i);
    const inLen = be(i + 4);
    if (i + 8 + inLen > input.length || o + outLen > size) break;
    const end = lz4Block(input.subarray(i + 8, i + 8 + inLen), out, o);
    if (end !== o + outLen) break;
    i += 8 + inLen;
    o = end;
    if (i === input.length && o === size) return out;
  }
  return lz4RawPage(input, size);
}

export function brotliPage(input: Uint8Array, size: number): Uint8Array {
  // The decoder writes into an output of the declared size; Brotli carries no checksum to check.
  const out = decompressBrotli(input, size);
  if (out.length !== size) throw new Error(`brotli data decodes to ${out.length} bytes, the page header says ${size}`);
  return out;
}

/** The codecs read here, by the name hyparquet gives the footer's codec value. */
export const PAGE_CODECS: Record<string, PageDecompressor> = {
  SNAPPY: snappyPage,
  GZIP: gzipPage,
  ZSTD: zstdPage,
  BROTLI: brotliPage,
  LZ4: lz4HadoopPage,
  LZ4_RAW: lz4RawPage,
};
