import type { FileMetaData } from 'hyparquet';
import { DataFormatError } from './errors';
import { readParquetMetadata } from './parquet';

/**
 * A Parquet file too large to read whole into the tab, cut to what a reader would fetch anyway:
 * the footer (schema, row groups, statistics of the whole file) and a prefix of whole row groups.
 * Parquet makes this cheap, since every column chunk's offset is in the footer: the bytes are the
 * file's first row groups followed by its footer, and `meta` lists only those groups, so readers
 * given it never look past them (the offsets stay the file's own).
 */
export interface ParquetSample {
  /** The first `groups` row groups, then the original footer and its length and magic. */
  bytes: Uint8Array;
  /** The footer with only the sampled row groups (and their row count). */
  meta: FileMetaData;
  /** The whole file's footer. */
  full: FileMetaData;
  groups: number;
  fileBytes: number;
}

const MAGIC = 'PAR1';
const ascii = (b: Uint8Array) => String.fromCharCode(...b);

/** True when a file starts with Parquet's magic (reads four bytes). */
export async function isParquetBlob(file: Blob): Promise<boolean> {
  return file.size >= 12 && ascii(new Uint8Array(await file.slice(0, 4).arrayBuffer())) === MAGIC;
}

/** Where row group g's last column chunk ends in the file. */
function groupEnd(meta: FileMetaData, g: number): number {
  let end = 0;
  for (const c of meta.row_groups[g].columns) {
    const m = c.meta_data;
    if (!m)
      throw new DataFormatError(
        `Parquet row group ${g} has a column chunk without metadata; it cannot be read in parts.`,
      );
    const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
    end = Math.max(end, Math.min(start, Number(m.data_page_offset)) + Number(m.total_compressed_size));
  }
  return end;
}

/**
 * Reads a large Parquet file's footer and its first row groups, at most `maxBytes` in all. Names
 * the problem when the footer is missing, truncated or larger than the budget, or when even the
 * first row group does not fit.
 */
export async function sampleParquet(file: Blob, name: string, maxBytes: number): Promise<ParquetSample> {
  const size = file.size;
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  const end8 = new Uint8Array(await file.slice(size - 8, size).arrayBuffer());
  if (ascii(end8.subarray(4)) !== MAGIC)
    throw new DataFormatError(
      `Parquet footer missing: "${name}" starts with "PAR1" but does not end with it. It is truncated or was never finished.`,
    );
  const footerLen = new DataView(end8.buffer).getUint32(0, true);
  if (footerLen > size - 12)
    throw new DataFormatError(
      `Parquet footer truncated: its length field says ${footerLen} bytes, but only ${size - 12} precede it.`,
    );
  if (footerLen + 8 > maxBytes / 4)
    throw new DataFormatError(
      `"${name}" has a ${mb(footerLen)} footer; this lab reads footers up to ${mb(maxBytes / 4)}.`,
    );
  const tail = new Uint8Array(await file.slice(size - 8 - footerLen, size).arrayBuffer());
  // The magic, then the footer: enough for the footer parser, which reads from the end.
  const full = readParquetMetadata(concat(new TextEncoder().encode(MAGIC), tail));
  const budget = maxBytes - tail.length;
  let groups = 0;
  let prefixEnd = 4;
  while (groups < full.row_groups.length) {
    const end = groupEnd(full, groups);
    if (end > budget) break;
    prefixEnd = Math.max(prefixEnd, end);
    groups++;
  }
  if (groups === 0)
    throw new DataFormatError(
      `"${name}" is ${mb(size)} and its first row group alone ends at ${mb(groupEnd(full, 0))}, past the ${mb(maxBytes)} this lab reads into the tab. Write it with smaller row groups (e.g. 128 MB), or try a sample.`,
    );
  const prefix = new Uint8Array(await file.slice(0, prefixEnd).arrayBuffer());
  const kept = full.row_groups.slice(0, groups);
  const meta: FileMetaData = { ...full, row_groups: kept, num_rows: kept.reduce((n, g) => n + g.num_rows, 0n) };
  return { bytes: concat(prefix, tail), meta, full, groups, fileBytes: size };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
