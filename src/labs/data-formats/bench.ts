import { CPU_ADAPTER, type BenchRow, type BenchSuite } from '../../bench/types';
import { median, spread } from '../../gpu/timing';
import { csvToTable } from '../../data/csv';
import { makeDataset } from '../../data/dataset';
import { filterCut, writeVariants } from '../../data/measure';
import { writeParquet } from '../../data/parquet';
import { readerFor, type FormatReader } from '../../data/readers';

async function samples(fn: () => Promise<unknown>, n = 7, warmup = true): Promise<number[]> {
  if (warmup) await fn(); // not timed
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Decode throughput of each file format on the CPU running the bench (Node): full read,
 * projection (k of F feature columns) and a filtered read, rows/s and MB/s of file bytes touched;
 * plus the CSV → Parquet conversion. No GPU work: the adapter field names the CPU side.
 */
export const suite: BenchSuite = {
  lab: 'data-formats',
  title: 'Data formats (decode rows/s and MB/s per format and projection; CSV → Parquet conversion)',
  async *run(ctx) {
    // 32 K rows × 35 columns: a 7.6 MB CSV, so the suite (conversion included) stays well under a minute.
    const rows = 32768;
    const features = 32;
    const k = 4;
    const rowGroupRows = 4096;
    const ds = makeDataset({ rows, features, seed: 1 });
    ctx.progress('writing CSV, Parquet and Arrow files');
    const { variants, files } = writeVariants(ds, rowGroupRows);
    const all = ['id', 'day', ...ds.features];
    const projected = ds.features.slice(0, k);
    const cut = filterCut(100, 0.25);
    const adapter = CPU_ADAPTER;
    const base = (
      v: (typeof variants)[number],
      pattern: string,
      columnsRead: number,
      times: number[],
      bytes: number,
      extra: Record<string, unknown> = {},
    ): BenchRow => {
      const ms = median(times);
      return {
        lab: 'data-formats',
        kernel: pattern,
        variant: v.id,
        impl: v.format === 'csv' ? 'd3-dsv' : v.format === 'parquet' ? 'hyparquet' : '@uwdata/flechette',
        params: { rows, features, rowGroupRows, columnsRead },
        format: v.format,
        compression: v.compression,
        columnsRead,
        medianMs: ms,
        spreadMs: spread(times),
        rowsPerS: (rows / ms) * 1000,
        mbPerS: bytes / (ms * 1e3),
        gbPerS: bytes / (ms * 1e6),
        gflopPerS: 0,
        bytesMoved: bytes,
        flops: 0,
        timing: 'wallclock',
        adapter,
        fileBytes: v.bytes,
        ...extra,
      };
    };
    for (const v of variants.filter((x) => x.measured)) {
      const reader: FormatReader = readerFor(v.format, files.get(v.id)!);
      ctx.progress(`${v.label}: full, projection, filter`);
      let touched = 0;
      const full = await samples(async () => (touched = (await reader.read(all)).bytesTouched));
      yield base(v, 'full', all.length, full, touched);
      const proj = await samples(async () => (touched = (await reader.read(projected)).bytesTouched));
      yield base(v, 'projection', k, proj, touched);
      let skipped = 0;
      const filt = await samples(async () => {
        const r = await reader.readWhere(projected, 'day', cut);
        touched = r.bytesTouched;
        skipped = r.groupsSkipped;
      });
      yield base(v, 'filter', k, filt, touched, { groupsSkipped: skipped });
    }
    ctx.progress('CSV → Parquet conversion');
    const csv = files.get('csv')!;
    const conv = await samples(
      async () => writeParquet(csvToTable(csv), { codec: 'SNAPPY', rowGroupRows, encoding: 'dictionary' }),
      2,
      false,
    );
    const csvVariant = variants.find((v) => v.id === 'csv')!;
    yield {
      ...base(csvVariant, 'convert-csv-to-parquet', all.length + 1, conv, csv.length),
      impl: 'd3-dsv + hyparquet-writer',
      compression: 'snappy',
    };
  },
  summarize(rows) {
    const out: string[] = [];
    const get = (variant: string, kernel: string) => rows.find((r) => r.variant === variant && r.kernel === kernel);
    const csv = get('csv', 'projection');
    for (const v of ['parquet-snappy', 'parquet-none', 'parquet-gzip', 'arrow']) {
      const r = get(v, 'projection');
      if (csv && r)
        out.push(
          `projection ${r.columnsRead} of 34 columns: ${v} ${Math.round(Number(r.rowsPerS)).toLocaleString('en-US')} rows/s vs CSV ${Math.round(Number(csv.rowsPerS)).toLocaleString('en-US')} → ${(Number(r.rowsPerS) / Number(csv.rowsPerS)).toFixed(1)}×`,
        );
    }
    const conv = rows.find((r) => r.kernel === 'convert-csv-to-parquet');
    if (conv)
      out.push(
        `CSV → Parquet (snappy): ${conv.medianMs.toFixed(0)} ms for ${(Number(conv.bytesMoved) / 2 ** 20).toFixed(1)} MiB of text`,
      );
    return out;
  },
};
