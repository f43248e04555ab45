import { csvLineIndex } from '../../data/csv';
import { makeDataset } from '../../data/dataset';
import { writeCsv } from '../../data/csv';
import { openArrow, writeArrow } from '../../data/arrow';
import { readParquetMetadata, rowGroupStarts, writeParquet } from '../../data/parquet';
import type { FileMetaData } from 'hyparquet';
import type { Table } from '@uwdata/flechette';
import type { SourceFormat } from '../../sim/dataloader/types';

export interface SourceSpec {
  format: SourceFormat;
  samples: number;
  features: number;
  seed: number;
  /** Rows per Parquet row group / Arrow record batch; default rowsPerGroup(features). */
  groupRows?: number;
}

/** The dataset as file bytes: written once on the main thread, each worker gets its own copy to open. */
export interface SourceFile {
  spec: SourceSpec;
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * Rows per Parquet row group / Arrow record batch: about 1 MB of float features each, the size
 * at which a reader's per-chunk overhead stops mattering (Parquet writers default to 64–128 MB
 * groups on disk; a browser tab's source is smaller).
 */
export function rowsPerGroup(features: number): number {
  return Math.max(16, Math.min(4096, Math.round(2 ** 18 / features)));
}

/** Bytes a source file takes, before writing it: CSV ~8 characters per value ("-0.1234,"), binary 4. */
export function sourceBytes(spec: Pick<SourceSpec, 'format' | 'samples' | 'features'>): number {
  return spec.format === 'csv' ? spec.samples * (spec.features * 8 + 20) : spec.samples * (spec.features * 4 + 12);
}

/**
 * Writes the seeded table (src/data/dataset.ts) in the chosen format with the real writers:
 * CSV text, Parquet (snappy, plain encoding: random features gain nothing from a dictionary) or
 * Arrow IPC. Every worker opens the same bytes.
 */
export function writeSourceFile(spec: SourceSpec): SourceFile {
  const ds = makeDataset({ rows: spec.samples, features: spec.features, seed: spec.seed });
  const group = spec.groupRows ?? rowsPerGroup(spec.features);
  const bytes =
    spec.format === 'csv'
      ? writeCsv(ds)
      : spec.format === 'parquet'
        ? writeParquet(ds, { codec: 'SNAPPY', rowGroupRows: group, encoding: 'plain' })
        : writeArrow(ds, group);
  return { spec, bytes };
}

/** An opened file as one worker holds it: the reader's index, never the decoded table. */
export interface Source {
  spec: SourceSpec;
  features: string[];
  csv?: { bytes: Uint8Array; header: string[]; lineStart: Uint32Array };
  parquet?: { bytes: Uint8Array; meta: FileMetaData; starts: number[]; cache: Map<number, Float32Array[]> };
  arrow?: { table: Table };
  /** Per-feature normalisation constants (the "Normalize" transform). */
  mean: Float32Array;
  invStd: Float32Array;
}

/**
 * Opens the file as a reader would: CSV indexes its line starts, Parquet parses its footer,
 * Arrow parses its framing and keeps views into the bytes. No value is decoded here.
 */
export function openSource(file: SourceFile): Source {
  const { spec, bytes } = file;
  const F = spec.features;
  const mean = new Float32Array(F);
  const invStd = new Float32Array(F);
  for (let f = 0; f < F; f++) {
    mean[f] = f / F;
    invStd[f] = Math.sqrt(3);
  }
  const features = Array.from({ length: F }, (_, f) => `f${f}`);
  const base = { spec, features, mean, invStd };
  if (spec.format === 'csv') {
    const { header, lineStart } = csvLineIndex(bytes);
    if (lineStart.length - 1 !== spec.samples)
      throw new Error(`CSV source has ${lineStart.length - 1} rows, expected ${spec.samples}.`);
    return { ...base, csv: { bytes, header, lineStart } };
  }
  if (spec.format === 'parquet') {
    const meta = readParquetMetadata(bytes);
    return { ...base, parquet: { bytes, meta, starts: rowGroupStarts(meta), cache: new Map() } };
  }
  return { ...base, arrow: { table: openArrow(bytes) } };
}
