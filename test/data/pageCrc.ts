import type { FileMetaData } from 'hyparquet';
import { crc32 } from '../../src/data/pageCodecs';
import { readParquetMetadata } from '../../src/data/parquet';

/**
 * A Parquet column chunk with a page CRC added (DuckDB and our writer store none): the chunk's
 * single page is copied behind "PAR1" with field 4 (crc, i32) inserted into its header, right or
 * wrong, and a footer (as FileMetaData) whose chunk points at it. Assumes the header's fields run
 * 1, 2, 3, 5 as DuckDB writes them.
 */
export function corruptCrc(file: Uint8Array, column: string, right = false): { bytes: Uint8Array; meta: FileMetaData } {
  const meta = readParquetMetadata(file);
  const k = meta.row_groups[0].columns.findIndex((c) => c.meta_data!.path_in_schema.join('.') === column);
  const m = meta.row_groups[0].columns[k].meta_data!;
  const start = Number(m.data_page_offset);
  const total = Number(m.total_compressed_size);
  const chunk = file.subarray(start, start + total);
  let at = 0;
  const varint = () => {
    let v = 0;
    for (let s = 0; ; s += 7) {
      const x = chunk[at++];
      v += (x & 0x7f) * 2 ** s;
      if (!(x & 0x80)) return v;
    }
  };
  const fields: number[] = [];
  for (let f = 1; f <= 3; f++) {
    if (chunk[at++] !== 0x15) throw new Error(`page header field ${f} is not where DuckDB writes it`);
    fields.push(varint());
  }
  if (chunk[at] !== 0x2c) throw new Error('page header field 5 is not where DuckDB writes it');
  const compressed = fields[2] % 2 ? -(fields[2] + 1) / 2 : fields[2] / 2;
  const rest = chunk.subarray(at + 1, total);
  const data = rest.subarray(rest.length - compressed);
  let crc = crc32(data);
  if (!right) crc ^= 1;
  const zz = crc | 0 ? ((crc | 0) << 1) ^ ((crc | 0) >> 31) : 0;
  const crcBytes: number[] = [];
  for (let v = zz >>> 0; ;) {
    if (v < 0x80) {
      crcBytes.push(v);
      break;
    }
    crcBytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  const header = [...chunk.subarray(0, at), 0x15, ...crcBytes, 0x1c];
  const page = new Uint8Array([...header, ...rest]);
  const bytes = new Uint8Array(4 + page.length + 8);
  bytes.set([0x50, 0x41, 0x52, 0x31]);
  bytes.set(page, 4);
  const cm = {
    ...m,
    data_page_offset: 4n,
    dictionary_page_offset: undefined,
    total_compressed_size: BigInt(page.length),
  };
  const out: FileMetaData = {
    ...meta,
    row_groups: [
      {
        ...meta.row_groups[0],
        columns: meta.row_groups[0].columns.map((c, i) => (i === k ? { ...c, meta_data: cm } : c)),
      },
    ],
  };
  return { bytes, meta: out };
}
