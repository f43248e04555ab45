import type { Measurement } from '../../data/measure';
import { fmtBytes, fmtCount, fmtMs, fmtRate } from '../../ui/format';
import type { Column } from '../../ui/ResultsTable';
import { VARIANT_LABEL } from './labels';

/** The measurement table's columns; rows carry format, compression and columnsRead like the bench rows. */
export function measurementColumns(totalColumns: number): Column<Measurement>[] {
  return [
    {
      key: 'file',
      label: 'File',
      render: (m) => VARIANT_LABEL[m.variant] ?? m.variant,
      value: (m) => `${m.format} (${m.compression})`,
    },
    { key: 'pattern', label: 'Read', render: (m) => m.pattern },
    {
      key: 'columnsRead',
      label: 'Columns',
      render: (m) => `${m.columnsRead}/${totalColumns}`,
      value: (m) => m.columnsRead,
    },
    { key: 'ms', label: 'Time', unit: 'best', render: (m) => fmtMs(m.ms), value: (m) => m.ms },
    { key: 'rows', label: 'Rows/s', render: (m) => fmtRate(m.rowsPerS), value: (m) => m.rowsPerS },
    { key: 'mb', label: 'MB/s touched', render: (m) => m.mbPerS.toFixed(0), value: (m) => m.mbPerS },
    { key: 'bytes', label: 'Bytes touched', render: (m) => fmtBytes(m.bytesTouched), value: (m) => m.bytesTouched },
    {
      key: 'skipped',
      // Short cells: nine columns must fit the results column at 1280 px without scrolling.
      label: 'Groups skipped',
      render: (m) =>
        m.pattern === 'filter' ? `${m.groupsSkipped}/${m.groupsTotal} · ${fmtCount(m.rowsOut)} out` : '—',
      value: (m) => (m.pattern === 'filter' ? m.groupsSkipped : ''),
    },
    {
      key: 'check',
      label: 'Answer',
      render: (m) => (m.matches ? '✓ equal' : '✗ differs'),
      value: (m) => (m.matches ? 'equal' : 'differs'),
    },
  ];
}
