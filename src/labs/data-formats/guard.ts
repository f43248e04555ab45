import { fmtCount, fmtRatio } from '../../ui/format';

/**
 * The lessons: reading k of F columns from Parquet beats parsing the whole CSV, and Arrow's views
 * (nothing to decode) beat Parquet's decode. Disagreement: either comes out no faster. The usual
 * cause here is a table too small for the per-file setup (footer, page headers, decompression
 * state) to be amortised, or a read so short the timer's noise dominates. Null when both agree.
 */
export function dataFormatsGuard(m: {
  csvRowsPerS: number;
  parquetRowsPerS: number;
  arrowRowsPerS: number | null;
  parquetMs: number;
  rows: number;
}): string | null {
  const says: string[] = [];
  if (m.parquetRowsPerS <= m.csvRowsPerS)
    says.push(`the Parquet projection read ${fmtRatio(m.parquetRowsPerS / m.csvRowsPerS)} CSV’s rows per second`);
  if (m.arrowRowsPerS !== null && m.arrowRowsPerS <= m.parquetRowsPerS)
    says.push(`Arrow read ${fmtRatio(m.arrowRowsPerS / m.parquetRowsPerS)} Parquet’s rows per second`);
  if (!says.length) return null;
  const what = `${says.join(', and ')}.`;
  const cap = what[0].toUpperCase() + what.slice(1);
  if (m.rows < 50_000 || m.parquetMs < 2)
    return `${cap} With ${fmtCount(m.rows)} rows the read takes about ${m.parquetMs.toFixed(1)} ms: fixed costs (the footer, page headers, decompressor set-up) and the timer’s noise weigh as much as the data. Raise the row count to let the formats’ per-byte costs show.`;
  return `${cap} This browser’s JavaScript engine decides those costs here; other work in the tab or on the machine can exceed the difference. Re-run to see if it holds.`;
}
