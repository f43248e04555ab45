import { mulberry32 } from '../kernels/random';

/**
 * The labs' table: what a tokenised training shard's metadata plus its features look like.
 *   id     int32, row number (unique: no dictionary helps it)
 *   day    int32, sorted (data is appended over time): its row-group min/max let a reader skip groups
 *   source string from 6 values (a low-cardinality column: dictionary encoding shrinks it)
 *   f0..   float32 features with 4 decimals, so CSV text and binary columns hold the same numbers
 */
export interface Dataset {
  rows: number;
  /** Column names in file order. */
  names: string[];
  /** Numeric columns (typed arrays) and string columns (arrays of strings), by name. */
  columns: Record<string, Int32Array | Float32Array | Float64Array | string[]>;
  /** The float feature columns: what a dataloader turns into the batch tensor. */
  features: string[];
  /** Numeric columns with NULLs (from a user's CSV): 0 where the row is NULL. Generated tables have none. */
  valid?: Record<string, Uint8Array>;
}

export interface DatasetSpec {
  rows: number;
  features: number;
  seed: number;
  /** Days the rows span (the predicate column's range); default 100. */
  days?: number;
}

export const SOURCES = ['web', 'books', 'code', 'wiki', 'papers', 'forums'] as const;

/** Float values are k / 10⁴: exactly what "%.4f" text parses back to, once rounded to float32. */
export function featureValue(rand: () => number, f: number, features: number): number {
  return Math.round((rand() * 2 - 1 + f / features) * 1e4) / 1e4;
}

export function featureNames(features: number): string[] {
  return Array.from({ length: features }, (_, f) => `f${f}`);
}

export function checkSpec(spec: DatasetSpec): void {
  const { rows, features } = spec;
  if (!(Number.isInteger(rows) && rows >= 1 && Number.isInteger(features) && features >= 1))
    throw new Error(`Bad dataset size: ${rows} rows × ${features} features.`);
}

/** The same table for the same spec on every machine and in every worker (seeded). */
export function makeDataset(spec: DatasetSpec): Dataset {
  checkSpec(spec);
  const { rows, features } = spec;
  const days = spec.days ?? 100;
  const rand = mulberry32(spec.seed);
  const id = new Int32Array(rows);
  const day = new Int32Array(rows);
  const source: string[] = new Array(rows);
  const feats = featureNames(features).map(() => new Float32Array(rows));
  for (let r = 0; r < rows; r++) {
    id[r] = r;
    day[r] = Math.floor((r * days) / rows);
    source[r] = SOURCES[Math.floor(rand() * SOURCES.length)];
    for (let f = 0; f < features; f++) feats[f][r] = featureValue(rand, f, features);
  }
  const names = ['id', 'day', 'source', ...featureNames(features)];
  const columns: Dataset['columns'] = { id, day, source };
  feats.forEach((c, f) => (columns[`f${f}`] = c));
  return { rows, names, columns, features: featureNames(features) };
}

/** Row-major float32 copy of the feature columns: the tensor a training step consumes. */
export function featureMatrix(ds: Dataset, rowStart = 0, rowEnd = ds.rows): Float32Array {
  const F = ds.features.length;
  const out = new Float32Array((rowEnd - rowStart) * F);
  ds.features.forEach((name, f) => {
    const col = ds.columns[name] as Float32Array;
    for (let r = rowStart; r < rowEnd; r++) out[(r - rowStart) * F + f] = col[r];
  });
  return out;
}
