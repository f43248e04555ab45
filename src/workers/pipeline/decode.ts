import { arrowColumnSlice } from '../../data/arrow';
import { parseCsv } from '../../data/csv';
import { readParquet } from '../../data/parquet';
import type { Source } from './source';

/** Decoded row groups a worker keeps: consecutive batches usually fall in the same group. */
const GROUP_CACHE = 2;

async function parquetGroup(src: Source, g: number): Promise<Float32Array[]> {
  const pq = src.parquet!;
  let cols = pq.cache.get(g);
  if (!cols) {
    // Projection: only the feature column chunks are fetched and decompressed; id, day and source are never read.
    const r = await readParquet(pq.bytes, { columns: src.features, groups: [g], meta: pq.meta });
    cols = src.features.map((n) => r.columns[n] as Float32Array);
    pq.cache.set(g, cols);
    if (pq.cache.size > GROUP_CACHE) pq.cache.delete(pq.cache.keys().next().value!);
  }
  return cols;
}

/**
 * Contiguous row ranges [a, b) of the source that batch `index` covers (two when it wraps round
 * the end of the source).
 */
function ranges(first: number, batchSize: number, N: number): [number, number][] {
  const out: [number, number][] = [];
  let left = batchSize;
  let at = first;
  while (left > 0) {
    const n = Math.min(left, N - at);
    out.push([at, at + n]);
    left -= n;
    at = (at + n) % N;
  }
  return out;
}

/**
 * Loads batch `index` (samples index·B .. index·B+B-1, wrapping) through the format's reader:
 * CSV lines parsed by d3-dsv (every field of every line), Parquet row groups decoded by hyparquet
 * (feature columns only), Arrow columns sliced as zero-copy views. Only the last step builds the
 * row-major [B × features] tensor, then normalises it and applies `augment` transform passes.
 * Returns a fresh buffer, which the worker transfers rather than copies.
 */
export async function loadBatch(src: Source, index: number, batchSize: number, augment: number): Promise<Float32Array> {
  const F = src.spec.features;
  const N = src.spec.samples;
  const out = new Float32Array(batchSize * F);
  let row = 0;
  for (const [a, b] of ranges((index * batchSize) % N, batchSize, N)) {
    let cols: ArrayLike<number>[];
    if (src.csv) {
      const { bytes, header, lineStart } = src.csv;
      const t = parseCsv(bytes.subarray(lineStart[a], lineStart[b]), {
        header,
        columns: src.features,
        lineOffset: a + 1,
        delimiter: ',',
      });
      cols = src.features.map((n) => t.columns[n]);
      collate(out, row, cols, 0, b - a, F);
    } else if (src.parquet) {
      const { starts } = src.parquet;
      for (let r = a; r < b;) {
        let g = 0;
        while (starts[g + 1] <= r) g++;
        const end = Math.min(b, starts[g + 1]);
        cols = await parquetGroup(src, g);
        collate(out, row + r - a, cols, r - starts[g], end - r, F);
        r = end;
      }
    } else if (src.arrow) {
      cols = src.features.map((n) => arrowColumnSlice(src.arrow!.table, n, a, b));
      collate(out, row, cols, 0, b - a, F);
    }
    row += b - a;
  }
  transform(out, src.mean, src.invStd, F, augment);
  return out;
}

/**
 * Columns → rows, the one copy into the batch tensor: `n` rows from column offset `from` into
 * out rows `row`.. . Blocks of 16 rows keep both the column reads and the row writes in cache.
 */
function collate(out: Float32Array, row: number, cols: ArrayLike<number>[], from: number, n: number, F: number): void {
  for (let b0 = 0; b0 < n; b0 += 16) {
    const b1 = Math.min(n, b0 + 16);
    for (let f = 0; f < F; f++) {
      const col = cols[f];
      for (let b = b0; b < b1; b++) out[(row + b) * F + f] = col[from + b];
    }
  }
}

/** Normalise, then `passes` rounds of a per-value nonlinearity: the CPU work torchvision-style transforms do. */
export function transform(x: Float32Array, mean: Float32Array, invStd: Float32Array, F: number, passes: number): void {
  for (let row = 0; row < x.length; row += F) {
    for (let f = 0; f < F; f++) {
      let v = (x[row + f] - mean[f]) * invStd[f];
      // A soft clip per pass: a few nanoseconds, so decoding stays visible next to the transforms.
      for (let p = 0; p < passes; p++) v = 0.98 * v + 0.02 * (v / (1 + Math.abs(v))) + 0.001 * p;
      x[row + f] = v;
    }
  }
}

/** Order-sensitive fingerprint of a batch, so tests can see that a re-issued batch is the same batch. */
export function checksum(x: Float32Array): number {
  let h = 0;
  for (let i = 0; i < x.length; i++) h = (h * 31 + Math.round(x[i] * 1e4)) | 0;
  return h >>> 0;
}
