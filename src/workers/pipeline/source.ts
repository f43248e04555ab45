import { mulberry32 } from '../../sim/dataloader/rng';
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
  const lineStart = new Uint32Array(samples + 1);
  const chunks: string[] = [];
  let len = 0;
  for (let s = 0; s < samples; s++) {
    lineStart[s] = len;
    let line = '';
    for (let f = 0; f < features; f++) line += (f ? ',' : '') + value(rand, f, features).toFixed(4);
    line += '\n';
    len += line.length;
    chunks.push(line);
  }
  lineStart[samples] = len;
  return { spec, csv: { bytes: new TextEncoder().encode(chunks.join('')), lineStart }, mean, invStd };
}
