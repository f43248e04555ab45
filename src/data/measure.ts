import { writeArrow } from './arrow';
import { csvToTable, writeCsv } from './csv';
import { makeDataset, type Dataset } from './dataset';
import { writeParquet, type ParquetEncoding, type WriteCodec } from './parquet';
import { readerFor, type FileFormat, type FormatReader, type ReadOut } from './readers';

/** Codecs as the measurement rows name them: what we write (none, snappy, gzip) and what other writers use too. */
export type Compression = 'none' | 'snappy' | 'gzip' | 'zstd' | 'brotli' | 'lz4' | 'lz4_raw' | 'lzo';
export type AccessPattern = 'full' | 'projection' | 'filter';

/** One file written from the table: its format, codec, encoding, size and how long writing took. */
export interface FileVariant {
  id: string;
  label: string;
  format: FileFormat;
  compression: Compression;
  encoding: ParquetEncoding | 'text' | 'arrow';
  bytes: number;
  writeMs: number;
  /** Measured by the access patterns (the plain-encoded Parquet is shown for its size only). */
  measured: boolean;
}

export interface Measurement {
  variant: string;
  format: FileFormat;
  compression: Compression;
  pattern: AccessPattern;
  columnsRead: number;
  /** Rows of the table the query answered for, per second of read + decode (+ filter) time. */
  rowsPerS: number;
  /** File bytes the reader touched per second, MB/s. */
  mbPerS: number;
  ms: number;
  bytesTouched: number;
  rowsOut: number;
  groupsSkipped: number;
  groupsTotal: number;
  /** The values equal the in-memory table's (filtered on the CPU for the filter pattern). */
  matches: boolean;
}

export interface FormatsQuery {
  /** Feature columns a projection reads (k of F). */
  columnsRead: number;
  /** Rows the filter keeps: day >= the cut that keeps this fraction. */
  selectivity: number;
}

const CODEC: Record<'none' | 'snappy' | 'gzip', WriteCodec> = { none: 'UNCOMPRESSED', snappy: 'SNAPPY', gzip: 'GZIP' };
const now = () => performance.now();

/** Writes the table in every format and codec the writers support here, timing each. */
export function writeVariants(
  ds: Dataset,
  rowGroupRows: number,
): { variants: FileVariant[]; files: Map<string, Uint8Array> } {
  const variants: FileVariant[] = [];
  const files = new Map<string, Uint8Array>();
  const add = (v: Omit<FileVariant, 'bytes' | 'writeMs'>, write: () => Uint8Array) => {
    const t0 = now();
    const bytes = write();
    variants.push({ ...v, bytes: bytes.length, writeMs: now() - t0 });
    files.set(v.id, bytes);
  };
  add({ id: 'csv', label: 'CSV', format: 'csv', compression: 'none', encoding: 'text', measured: true }, () =>
    writeCsv(ds),
  );
  for (const c of ['none', 'snappy', 'gzip'] as const)
    add(
      {
        id: `parquet-${c}`,
        label: `Parquet ${c}`,
        format: 'parquet',
        compression: c,
        encoding: 'dictionary',
        measured: true,
      },
      () => writeParquet(ds, { codec: CODEC[c], rowGroupRows, encoding: 'dictionary' }),
    );
  add(
    {
      id: 'parquet-snappy-plain',
      label: 'Parquet snappy, plain',
      format: 'parquet',
      compression: 'snappy',
      encoding: 'plain',
      measured: false,
    },
    () => writeParquet(ds, { codec: 'SNAPPY', rowGroupRows, encoding: 'plain' }),
  );
  add(
    { id: 'arrow', label: 'Arrow IPC', format: 'arrow', compression: 'none', encoding: 'arrow', measured: true },
    () => writeArrow(ds, rowGroupRows),
  );
  return { variants, files };
}

/**
 * Best time per call over a few timed groups. A first call runs untimed (JIT, caches), then each
 * group repeats the call until it lasts ≥ `minGroupMs`: browsers coarsen performance.now()
 * (Chrome to 100 µs without cross-origin isolation), so a 0.3 ms read timed alone would be mostly rounding. Groups continue while under
 * `budgetMs` (at least `minGroups`); the fastest group is the least-disturbed one.
 */
export async function timeBest<T>(
  fn: () => Promise<T>,
  opts: { warmup?: boolean; minGroupMs?: number; budgetMs?: number; minGroups?: number } = {},
): Promise<{ ms: number; out: T }> {
  const { warmup = true, minGroupMs = 8, budgetMs = 150, minGroups = 2 } = opts;
  let out!: T;
  if (warmup) out = await fn();
  const end = now() + budgetMs;
  let best = Infinity;
  let reps = 1;
  for (let groups = 0; groups < minGroups || (now() < end && groups < 20);) {
    const t0 = now();
    for (let i = 0; i < reps; i++) out = await fn();
    const dt = now() - t0;
    if (dt < minGroupMs && reps < 1 << 12) {
      reps *= 2;
      continue;
    }
    best = Math.min(best, dt / reps);
    groups++;
  }
  return { ms: Math.max(best, 1e-4), out };
}

/** The day value from which a filter keeps about `selectivity` of rows (days are sorted, 0..days-1). */
export function filterCut(days: number, selectivity: number): number {
  return Math.round(days * (1 - selectivity));
}

function equalColumns(got: ReadOut, want: Record<string, ArrayLike<number>>, names: string[]): boolean {
  for (const n of names) {
    const a = got.columns[n];
    const b = want[n];
    if (!a || a.length !== b.length) return false;
    // NaN (a NULL filled with NaN) equals NaN here: same answer, same place.
    for (let i = 0; i < a.length; i++)
      if (Math.fround(a[i]) !== Math.fround(b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  }
  return true;
}

/** The table's columns filtered on the CPU: what every format's answer must equal. */
export function expectedFilter(ds: Dataset, names: string[], key: string, lo: number): Record<string, Float64Array> {
  const k = ds.columns[key] as ArrayLike<number>;
  const out: Record<string, Float64Array> = {};
  for (const n of names) {
    const c = ds.columns[n] as ArrayLike<number>;
    const v: number[] = [];
    for (let i = 0; i < ds.rows; i++) if (k[i] >= lo) v.push(c[i]);
    out[n] = Float64Array.from(v);
  }
  return out;
}

type Query = { all: string[]; projected: string[]; key: string; lo: number; rows: number };
type Truth = { full: Record<string, ArrayLike<number>>; filtered: Record<string, ArrayLike<number>> };

/** Full read, projection and filter on one file, each timed and checked against `truth`. */
export function measureReader(
  reader: FormatReader,
  info: { variant: string; compression: Compression },
  q: Query,
  truth?: Truth,
): Promise<Measurement[]> {
  return measureReaders([{ reader, info }], q, truth);
}

/**
 * Full read, projection and filter on each file. Every read runs once untimed (warm-up; its
 * answer is checked against `truth`, or against that file's own full read filtered on the CPU),
 * then all reads are timed in rounds, one group each per round (repeated until it lasts ≥ 8 ms,
 * as browsers coarsen performance.now(): Chrome to 100 µs), so a burst of other work on the machine slows
 * every format alike; the best group of each is kept.
 */
export async function measureReaders(
  list: { reader: FormatReader; info: { variant: string; compression: Compression } }[],
  q: Query,
  truth?: Truth,
  budgetMs = 1200,
): Promise<Measurement[]> {
  interface Task {
    k: number;
    pattern: AccessPattern;
    cols: number;
    fn: () => Promise<ReadOut>;
    out: ReadOut | null;
    reps: number;
    best: number;
  }
  const tasks: Task[] = list.flatMap(({ reader }, k) => [
    {
      k,
      pattern: 'full' as const,
      cols: q.all.length,
      fn: () => reader.read(q.all),
      out: null,
      reps: 1,
      best: Infinity,
    },
    {
      k,
      pattern: 'projection' as const,
      cols: q.projected.length,
      fn: () => reader.read(q.projected),
      out: null,
      reps: 1,
      best: Infinity,
    },
    {
      k,
      pattern: 'filter' as const,
      cols: q.projected.length,
      fn: () => reader.readWhere(q.projected, q.key, q.lo),
      out: null,
      reps: 1,
      best: Infinity,
    },
  ]);
  for (const t of tasks) t.out = await t.fn();
  const end = now() + budgetMs;
  for (let round = 0; round < 2 || (now() < end && round < 20); round++) {
    for (const t of tasks) {
      for (;;) {
        const t0 = now();
        for (let i = 0; i < t.reps; i++) await t.fn();
        const dt = now() - t0;
        if (dt < 8 && t.reps < 1 << 12) {
          t.reps *= 2;
          continue;
        }
        t.best = Math.min(t.best, dt / t.reps);
        break;
      }
    }
  }
  return tasks.map((t) => {
    const { reader, info } = list[t.k];
    const r = t.out!;
    const full = tasks.find((x) => x.k === t.k && x.pattern === 'full')!.out!;
    const matches =
      t.pattern === 'full'
        ? truth
          ? equalColumns(r, truth.full, q.all)
          : true
        : t.pattern === 'projection'
          ? equalColumns(r, truth?.full ?? full.columns, q.projected)
          : equalColumns(r, truth?.filtered ?? expectedFilterFrom(full, q.projected, q.key, q.lo), q.projected);
    const ms = Math.max(t.best, 1e-4);
    return {
      variant: info.variant,
      format: reader.format,
      compression: info.compression,
      pattern: t.pattern,
      columnsRead: t.cols,
      rowsPerS: (q.rows / ms) * 1000,
      mbPerS: r.bytesTouched / (ms * 1e3),
      ms,
      bytesTouched: r.bytesTouched,
      rowsOut: r.rows,
      groupsSkipped: r.groupsSkipped,
      groupsTotal: r.groupsTotal,
      matches,
    };
  });
}

function expectedFilterFrom(full: ReadOut, names: string[], key: string, lo: number): Record<string, Float64Array> {
  const k = full.columns[key];
  const out: Record<string, Float64Array> = {};
  for (const n of names) {
    const c = full.columns[n];
    const v: number[] = [];
    for (let i = 0; i < k.length; i++) if (k[i] >= lo) v.push(c[i]);
    out[n] = Float64Array.from(v);
  }
  return out;
}

export interface FormatsSpec extends FormatsQuery {
  rows: number;
  features: number;
  rowGroupRows: number;
  seed: number;
}

export interface FormatsReport {
  variants: FileVariant[];
  measurements: Measurement[];
  /** CSV text → table → Parquet (snappy): parse, type inference and write, ms. */
  convertMs: number;
  /** The filter as run: day >= cut. */
  cut: number;
  days: number;
  rowGroups: number;
}

/** The lab's whole measurement: write every variant, then read each three ways. */
export async function measureFormats(
  spec: FormatsSpec,
  progress: (f: number, text: string) => void = () => {},
): Promise<FormatsReport> {
  const days = 100;
  const ds = makeDataset({ rows: spec.rows, features: spec.features, seed: spec.seed, days });
  progress(0.05, 'writing CSV, Parquet and Arrow files');
  const { variants, files } = writeVariants(ds, spec.rowGroupRows);
  const k = Math.max(1, Math.min(spec.columnsRead, spec.features));
  const all = ['id', 'day', ...ds.features];
  const projected = ds.features.slice(0, k);
  const cut = filterCut(days, spec.selectivity);
  const q = { all, projected, key: 'day', lo: cut, rows: ds.rows };
  const truth = {
    full: ds.columns as Record<string, ArrayLike<number>>,
    filtered: expectedFilter(ds, projected, 'day', cut),
  };
  progress(0.2, 'reading every file whole, by k columns and through the filter, in rounds');
  const measured = variants.filter((v) => v.measured);
  const measurements = await measureReaders(
    measured.map((v) => ({
      reader: readerFor(v.format, files.get(v.id)!),
      info: { variant: v.id, compression: v.compression },
    })),
    q,
    truth,
  );
  progress(0.9, 'converting CSV to Parquet');
  const csv = files.get('csv')!;
  const conv = await timeBest(
    async () =>
      writeParquet(csvToTable(csv), { codec: 'SNAPPY', rowGroupRows: spec.rowGroupRows, encoding: 'dictionary' }),
    {
      warmup: false,
      minGroupMs: 0,
      minGroups: 1,
      budgetMs: 0,
    },
  );
  return { variants, measurements, convertMs: conv.ms, cut, days, rowGroups: Math.ceil(spec.rows / spec.rowGroupRows) };
}
