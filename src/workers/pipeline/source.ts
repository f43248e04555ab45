import { mulberry32 } from '../../kernels/random';
import type { SourceFormat } from '../../sim/dataloader/types';

export interface SourceSpec {
  format: SourceFormat;
  samples: number;
  features: number;
  seed: number;
}

/**
 * A dataset held by one worker. CSV is one byte buffer of text lines plus a line index (what a
 * reader has after opening a file); columnar is one Float32Array per feature, as Arrow or Parquet
 * lay out a column chunk, so a batch is a zero-copy view of each column.
 */
export interface Source {
  spec: SourceSpec;
  csv?: { bytes: Uint8Array; lineStart: Uint32Array };
  columns?: Float32Array[];
  /** Per-feature normalisation constants (the "Normalize" transform). */
  mean: Float32Array;
  invStd: Float32Array;
}

/** Values have 4 decimals so CSV text and float columns hold the same numbers. */
function value(rand: () => number, f: number, features: number): number {
  return Math.round((rand() * 2 - 1 + f / features) * 1e4) / 1e4;
}

export function sourceBytes(spec: Pick<SourceSpec, 'format' | 'samples' | 'features'>): number {
  // CSV: "-0.1234," is 7–8 bytes; columnar: 4 bytes per float.
  return spec.format === 'csv' ? spec.samples * spec.features * 8 : spec.samples * spec.features * 4;
}

/** Generates the dataset locally (deterministic in the seed): every worker opens the same data. */
export function makeSource(spec: SourceSpec): Source {
  const { samples, features } = spec;
  if (!(samples >= 1 && features >= 1 && Number.isInteger(samples) && Number.isInteger(features)))
    throw new Error(`Bad source size: ${samples} samples × ${features} features.`);
  const rand = mulberry32(spec.seed);
  const mean = new Float32Array(features);
  const invStd = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    mean[f] = f / features;
    invStd[f] = Math.sqrt(3);
  }
  if (spec.format === 'columnar') {
    const columns = Array.from({ length: features }, () => new Float32Array(samples));
    for (let s = 0; s < samples; s++) for (let f = 0; f < features; f++) columns[f][s] = value(rand, f, features);
    return { spec, columns, mean, invStd };
  }
  // Written digit by digit: toFixed() would make opening the source, not decoding it, the cost.
  const lineStart = new Uint32Array(samples + 1);
  let bytes = new Uint8Array(Math.max(64, samples * features * 8 + samples));
  let len = 0;
  for (let s = 0; s < samples; s++) {
    lineStart[s] = len;
    if (bytes.length - len < features * 9 + 1) {
      const grown = new Uint8Array(bytes.length * 2 + features * 9);
      grown.set(bytes.subarray(0, len));
      bytes = grown;
    }
    for (let f = 0; f < features; f++) {
      if (f) bytes[len++] = 44;
      let k = Math.round(value(rand, f, features) * 1e4);
      if (k < 0) {
        bytes[len++] = 45;
        k = -k;
      }
      const int = Math.floor(k / 1e4);
      const frac = k - int * 1e4;
      if (int >= 10) bytes[len++] = 48 + Math.floor(int / 10);
      bytes[len++] = 48 + (int % 10);
      bytes[len++] = 46;
      bytes[len++] = 48 + Math.floor(frac / 1000);
      bytes[len++] = 48 + (Math.floor(frac / 100) % 10);
      bytes[len++] = 48 + (Math.floor(frac / 10) % 10);
      bytes[len++] = 48 + (frac % 10);
    }
    bytes[len++] = 10;
  }
  lineStart[samples] = len;
  return { spec, csv: { bytes: bytes.subarray(0, len), lineStart }, mean, invStd };
}
