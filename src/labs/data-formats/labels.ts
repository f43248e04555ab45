import type { AccessPattern, Measurement } from '../../data/measure';

/** One colour per file variant, the same in every chart and table (UI.md: roles, not decoration). */
export const VARIANT_CLASS: Record<string, string> = {
  csv: 'df-csv',
  'parquet-none': 'df-pq-none',
  'parquet-snappy': 'df-pq-snappy',
  'parquet-gzip': 'df-pq-gzip',
  'parquet-snappy-plain': 'df-pq-plain',
  'parquet-converted': 'df-pq-snappy',
  arrow: 'df-arrow',
  parquet: 'df-pq-snappy',
};

export const VARIANT_LABEL: Record<string, string> = {
  csv: 'CSV',
  'parquet-none': 'Parquet, uncompressed',
  'parquet-snappy': 'Parquet, snappy',
  'parquet-gzip': 'Parquet, gzip',
  'parquet-snappy-plain': 'Parquet, snappy, plain encoding',
  'parquet-converted': 'Parquet (converted from your CSV)',
  arrow: 'Arrow IPC',
  parquet: 'Parquet',
};

export function patternLabel(p: AccessPattern, m: Pick<Measurement, 'columnsRead'>, total?: number): string {
  if (p === 'full') return `full read (${m.columnsRead} columns)`;
  if (p === 'projection') return `projection: ${m.columnsRead}${total ? ` of ${total}` : ''} columns`;
  return `filter + ${m.columnsRead} columns`;
}
