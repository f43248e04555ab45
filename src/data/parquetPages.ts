import type { FileMetaData } from 'hyparquet';
import { DataFormatError, placeText, type DataPlace } from './errors';
import { crc32, MAX_PAGE_BYTES } from './pageCodecs';

/**
 * Walks the page headers of column chunks before hyparquet decodes them: every header must parse,
 * every page lie inside its chunk and the chunk inside the file, its declared sizes stay under
 * MAX_PAGE_BYTES, its CRC (when the writer stored one) match, and the values add up to the chunk's
 * count. The result maps each page's first data byte to its place, so a later failure inside
 * hyparquet can be reported by column, row group and page.
 */
export interface PageInfo extends DataPlace {
  type: number;
  compressed: number;
  uncompressed: number;
  /** Values in the page (NULLs included) and their encoding (Parquet's enum). */
  values: number;
  encoding: number;
  /** Definition levels precede a V1 page's values when the column is nullable (max level 1 for a flat column). */
  maxDef: number;
  /** File offset of the page's first data byte (after its header). */
  at: number;
}

/** Thrift compact protocol, just enough for a PageHeader; every read is bounds-checked. */
class Compact {
  constructor(
    private b: Uint8Array,
    public at: number,
    private end: number,
  ) {}
  byte(): number {
    if (this.at >= this.end) throw new Error('the page header runs past its column chunk');
    return this.b[this.at++];
  }
  varint(): number {
    let v = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const x = this.byte();
      v += (x & 0x7f) * 2 ** shift;
      if (!(x & 0x80)) return v;
    }
    throw new Error('the page header holds an overlong number');
  }
  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }
  skip(type: number, depth: number): void {
    if (depth > 16) throw new Error('the page header nests too deeply');
    switch (type) {
      case 1:
      case 2:
        return;
      case 3:
        this.byte();
        return;
      case 4:
      case 5:
      case 6:
        this.varint();
        return;
      case 7:
        for (let k = 0; k < 8; k++) this.byte();
        return;
      case 8: {
        const n = this.varint();
        if (this.at + n > this.end) throw new Error('a page header string runs past its column chunk');
        this.at += n;
        return;
      }
      case 9:
      case 10: {
        const h = this.byte();
        const n = h >>> 4 === 15 ? this.varint() : h >>> 4;
        for (let k = 0; k < n; k++) this.skip(h & 15, depth + 1);
        return;
      }
      case 11: {
        const n = this.varint();
        if (n === 0) return;
        const kv = this.byte();
        for (let k = 0; k < n; k++) {
          this.skip(kv >>> 4, depth + 1);
          this.skip(kv & 15, depth + 1);
        }
        return;
      }
      case 12:
        this.struct(depth + 1, () => false);
        return;
      default:
        throw new Error(`the page header holds an unknown field type ${type}`);
    }
  }
  /** Reads a struct; `field` consumes the fields it knows (returns true), the rest are skipped. */
  struct(depth: number, field: (id: number, type: number) => boolean): void {
    let id = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return;
      const type = h & 15;
      id = h >>> 4 ? id + (h >>> 4) : this.zigzag();
      if (!field(id, type)) this.skip(type, depth);
    }
  }
}

interface Header {
  type: number;
  uncompressed: number;
  compressed: number;
  crc: number | null;
  values: number;
  encoding: number;
}

function readHeader(r: Compact): Header {
  const h: Header = { type: -1, uncompressed: -1, compressed: -1, crc: null, values: 0, encoding: 0 };
  r.struct(0, (id, type) => {
    if (type === 5 && id <= 4) {
      const v = r.zigzag();
      if (id === 1) h.type = v;
      else if (id === 2) h.uncompressed = v;
      else if (id === 3) h.compressed = v;
      else h.crc = v >>> 0;
      return true;
    }
    if (type === 12 && (id === 5 || id === 7 || id === 8)) {
      r.struct(1, (sid, stype) => {
        if (sid === 1 && stype === 5) {
          h.values = r.zigzag();
          return true;
        }
        // The values' encoding: field 2 of a V1 or dictionary page header, field 4 of a V2 one.
        if (stype === 5 && ((id !== 8 && sid === 2) || (id === 8 && sid === 4))) {
          h.encoding = r.zigzag();
          return true;
        }
        return false;
      });
      return true;
    }
    return false;
  });
  return h;
}

const PAGE_TYPES = new Set([0, 2, 3]); // DATA_PAGE, DICTIONARY_PAGE, DATA_PAGE_V2 (1, the index page, is never written)

/** Start and length of a column chunk in the file, checked against the file's size. */
export function chunkRange(
  meta: FileMetaData,
  g: number,
  c: number,
  fileBytes: number,
  place: DataPlace,
): [number, number] {
  const m = meta.row_groups[g].columns[c].meta_data!;
  const dict = m.dictionary_page_offset === undefined ? undefined : Number(m.dictionary_page_offset);
  const data = Number(m.data_page_offset);
  // Some writers store a dictionary offset of 0 for "none" (parquet-mr's old bug): the data offset is then the start.
  const start = dict !== undefined && dict > 0 && dict < data ? dict : data;
  const len = Number(m.total_compressed_size);
  if (!(start >= 4 && len > 0 && start + len <= fileBytes - 8))
    throw new DataFormatError(
      `The footer places ${placeText(place)} at bytes ${start}–${start + len}, outside the file's ${fileBytes} bytes of data: the footer is corrupt.`,
      place,
    );
  return [start, len];
}

/**
 * Checks the pages of one column chunk (see the file comment) and records where each one's data
 * starts. `key(offset)` is the file offset of the page data.
 */
export function walkChunk(
  bytes: Uint8Array,
  meta: FileMetaData,
  g: number,
  c: number,
  column: string,
  pages: Map<number, PageInfo>,
  maxDef = 1,
): void {
  const place: DataPlace = { column, rowGroup: g };
  const [start, len] = chunkRange(meta, g, c, bytes.length, place);
  const want = Number(meta.row_groups[g].columns[c].meta_data!.num_values);
  const found: PageInfo[] = [];
  let values = 0;
  let at = start;
  while (at < start + len && values < want) {
    const p: DataPlace = { ...place, page: found.length };
    const r = new Compact(bytes, at, start + len);
    let h: Header;
    try {
      h = readHeader(r);
    } catch (e) {
      throw new DataFormatError(`Parquet page header unreadable in ${placeText(p)}: ${(e as Error).message}.`, p);
    }
    const bad = (what: string) => new DataFormatError(`Corrupt Parquet page in ${placeText(p)}: ${what}.`, p);
    if (!PAGE_TYPES.has(h.type))
      throw bad(`its header names page type ${h.type}, which is none of data, dictionary or data v2`);
    if (h.compressed < 0 || r.at + h.compressed > start + len)
      throw bad(`its header says ${h.compressed} bytes, past the end of the column chunk`);
    if (h.uncompressed < 0 || h.uncompressed > MAX_PAGE_BYTES)
      throw bad(
        `its header declares ${h.uncompressed} bytes once decompressed; this reader accepts pages up to ${MAX_PAGE_BYTES / 2 ** 20} MiB`,
      );
    if (h.values < 0) throw bad(`its header says it holds ${h.values} values`);
    if (h.crc !== null && crc32(bytes.subarray(r.at, r.at + h.compressed)) !== h.crc)
      throw bad('its CRC-32 does not match its bytes');
    if (h.type !== 2) values += h.values;
    const info: PageInfo = {
      ...p,
      type: h.type,
      compressed: h.compressed,
      uncompressed: h.uncompressed,
      values: h.values,
      encoding: h.encoding,
      maxDef,
      at: r.at,
    };
    found.push(info);
    pages.set(r.at, info);
    at = r.at + h.compressed;
  }
  if (values !== want)
    throw new DataFormatError(
      `Corrupt Parquet column chunk in ${placeText(place)}: its pages hold ${values} values, the footer says ${want}.`,
      place,
    );
  for (const f of found) f.pages = found.length;
}

/**
 * Checks the run-length/bit-packed streams of a decompressed page (definition levels of a V1 page,
 * dictionary indices of any data page) before hyparquet decodes them: its decoder writes each run
 * in full into a growing array, so one corrupt run header (2^30 repeats) grows it until the
 * process runs out of memory. A stream may not encode far more values than the page holds (some
 * padding of the last run is allowed), nor run past the page.
 * Upstream: hyparquet 1.33's readDefinitionLevels/readRleBitPackedHybrid trust a corrupt level
 * length and run header; no issue for it was found in hyparam/hyparquet (the fix there would be
 * to clamp each run to the output's length). Remove this check once hyparquet bounds its runs.
 */
export function checkPageStreams(page: Uint8Array, p: PageInfo, valuesOnly: boolean): void {
  const bad = (what: string) =>
    new DataFormatError(`Corrupt Parquet page in ${placeText(p)}: ${what}.`, {
      column: p.column,
      rowGroup: p.rowGroup,
      page: p.page,
      pages: p.pages,
    });
  if (p.type === 2) return; // a dictionary page holds plain values
  let at = 0;
  if (!valuesOnly && p.type === 0 && p.maxDef > 0) {
    if (page.length < 4) throw bad('its definition levels are cut off');
    const len = (page[0] | (page[1] << 8) | (page[2] << 16) | (page[3] << 24)) >>> 0;
    if (4 + len > page.length) throw bad(`its definition levels claim ${len} bytes, past the end of the page`);
    runs(page.subarray(4, 4 + len), 1, p.values, 'definition levels', bad);
    at = 4 + len;
  }
  if ((p.encoding === 2 || p.encoding === 8) && at < page.length) {
    const width = page[at];
    if (width > 32) throw bad(`its dictionary indices claim a bit width of ${width}`);
    runs(page.subarray(at + 1), width, p.values, 'dictionary indices', bad);
  }
}

function runs(b: Uint8Array, width: number, most: number, what: string, bad: (w: string) => Error): void {
  let count = 0;
  let i = 0;
  const bytesPerValue = (width + 7) >> 3;
  while (i < b.length && count < most) {
    let h = 0;
    for (let shift = 0; ; shift += 7) {
      if (i >= b.length) throw bad(`its ${what} end inside a run header`);
      if (shift > 35) throw bad(`its ${what} hold an overlong run header`);
      const x = b[i++];
      h += (x & 0x7f) * 2 ** shift;
      if (!(x & 0x80)) break;
    }
    if (h % 2) {
      const groups = Math.floor(h / 2);
      count += groups * 8;
      i += groups * width;
    } else {
      count += h / 2;
      i += bytesPerValue;
    }
    // Writers pad the last bit-packed run (DuckDB to a multiple of 32 values here): twice the page plus 1024 is slack enough and still bounded.
    if (count > 2 * most + 1024) throw bad(`its ${what} encode ${count} values where the page holds ${most}`);
    if (i > b.length) throw bad(`its ${what} run past the end of the page`);
  }
}
