import type { ReactNode } from 'react';

export interface Column<T> {
  key: string;
  label: string;
  /** Unit shown in the header, so each number carries one. */
  unit?: string;
  render(row: T): ReactNode;
  /** Plain value for CSV/JSON export. */
  value?(row: T): string | number;
}

interface Props<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  stale?: boolean;
  rowKey(row: T): string;
}

/** The compact results table every lab shows; it is also the charts' text alternative. */
export function ResultsTable<T>({ caption, columns, rows, stale, rowKey }: Props<T>) {
  return (
    <table className={`results ${stale ? 'stale' : ''}`} aria-describedby={stale ? 'stale-note' : undefined}>
      <caption>
        {caption}
        {stale ? (
          <span id="stale-note" className="stale-badge">
            stale: parameters changed since this run
          </span>
        ) : null}
      </caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.key} scope="col">
              {c.label}
              {c.unit ? <span className="unit"> ({c.unit})</span> : null}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)}>
            {columns.map((c) => (
              <td key={c.key}>{c.render(r)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
