import type { Source } from './source';

/** Parses one CSV line of decimal numbers from bytes into out[o..o+features): the per-sample text decode. */
export function parseCsvLine(bytes: Uint8Array, start: number, end: number, out: Float32Array, o: number, features: number): void {
  let i = start;
  for (let f = 0; f < features; f++) {
    let neg = false;
    if (bytes[i] === 45) {
      neg = true;
      i++;
    }
    let int = 0;
    while (i < end && bytes[i] >= 48 && bytes[i] <= 57) int = int * 10 + (bytes[i++] - 48);
    let frac = 0;
    let scale = 1;
    if (bytes[i] === 46) {
      i++;
      while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
        frac = frac * 10 + (bytes[i++] - 48);
        scale *= 10;
      }
    }
    const v = int + frac / scale;
    out[o + f] = neg ? -v : v;
    if (f < features - 1) {
      if (bytes[i] !== 44) throw new Error(`CSV: expected "," after field ${f} of the line at byte ${start}.`);
      i++;
    }
  }
}

/**
 * Loads batch `index` (samples index·B .. index·B+B-1, wrapping): decode every sample from the
 * source, then normalise and apply `augment` passes of a per-value transform. Returns a fresh
 * row-major [B × features] buffer, which the worker transfers rather than copies.
 */
export function loadBatch(src: Source, index: number, batchSize: number, augment: number): Float32Array {
  const F = src.spec.features;
  const N = src.spec.samples;
  const out = new Float32Array(batchSize * F);
  const first = (index * batchSize) % N;
  if (src.csv) {
    const { bytes, lineStart } = src.csv;
    for (let b = 0; b < batchSize; b++) {
      const s = (first + b) % N;
      parseCsvLine(bytes, lineStart[s], lineStart[s + 1], out, b * F, F);
    }
  } else if (src.columns) {
    // Zero-copy: each column's batch slice is a view. Collating transposes columns into rows, in
    // blocks of 16 samples so both the column reads and the row writes stay in cache.
    const contiguous = first + batchSize <= N;
    const views = contiguous ? src.columns.map((col) => col.subarray(first, first + batchSize)) : null;
    for (let b0 = 0; b0 < batchSize; b0 += 16) {
      const b1 = Math.min(batchSize, b0 + 16);
      for (let f = 0; f < F; f++) {
        if (views) {
          const view = views[f];
          for (let b = b0; b < b1; b++) out[b * F + f] = view[b];
        } else {
          const col = src.columns[f];
          for (let b = b0; b < b1; b++) out[b * F + f] = col[(first + b) % N];
        }
      }
    }
  }
  transform(out, src.mean, src.invStd, F, augment);
  return out;
}

/** Normalise, then `passes` rounds of a per-value nonlinearity: the CPU work torchvision-style transforms do. */
export function transform(x: Float32Array, mean: Float32Array, invStd: Float32Array, F: number, passes: number): void {
  for (let row = 0; row < x.length; row += F) {
    for (let f = 0; f < F; f++) {
      let v = (x[row + f] - mean[f]) * invStd[f];
      // A soft clip per pass: a few nanoseconds, so CSV parsing stays visible next to the transforms.
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
