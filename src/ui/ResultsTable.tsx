import { useRef, type ReactNode } from 'react';
import { download, toCsv } from './export';
import { usePin } from './pin';

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
  /** File name stem for CSV/JSON export; defaults to the caption. */
  name?: string;
  /** 'measured' for a table of GPU measurements in a lab whose core is a simulation (for pinning). */
  source?: 'measured' | 'simulated';
}

/**
 * A number with its unit ("3.7e-7", "1.38 GB/s", "−12 %") is one token: its cell never wraps inside
 * it (Chromium breaks "3.7e-7" after the minus). Sentences in a cell still wrap.
 */
export function isNumberCell(v: string | number): boolean {
  if (typeof v === 'number') return true;
  return v.length <= 24 && /^[-−+~≈<>≤≥]?\s?[\d.,]+(e[-+]?\d+)?[×x]?(\s|\u2009)?[^\s]{0,10}$/i.test(v.trim());
}

function plain<T>(c: Column<T>, row: T): string | number {
  if (c.value) return c.value(row);
  const r = c.render(row);
  return typeof r === 'string' || typeof r === 'number' ? r : '';
}

/** The compact results table every lab shows; it is also the charts' text alternative. */
export function ResultsTable<T>({ caption, columns, rows, stale, rowKey, name, source }: Props<T>) {
  const stem = (name ?? caption).toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const header = columns.map((c) => (c.unit ? `${c.label} (${c.unit})` : c.label));
  const exportCsv = () =>
    download(
      `${stem}.csv`,
      new Blob(
        [
          toCsv(
            header,
            rows.map((r) => columns.map((c) => plain(c, r))),
          ),
        ],
        { type: 'text/csv' },
      ),
    );
  const exportJson = () =>
    download(
      `${stem}.json`,
      new Blob(
        [
          JSON.stringify(
            rows.map((r) => Object.fromEntries(columns.map((c, i) => [header[i], plain(c, r)]))),
            null,
            2,
          ),
        ],
        { type: 'application/json' },
      ),
    );
  const pin = usePin();
  const tableRef = useRef<HTMLTableElement>(null);
  // A pinned table keeps the cells as the reader saw them (units, rounding), not the raw export values.
  const shownRows = (): (string | number)[][] => {
    const trs = tableRef.current?.tBodies[0]?.rows;
    if (!trs || trs.length !== rows.length) return rows.map((r) => columns.map((c) => plain(c, r)));
    return Array.from(trs, (tr) => Array.from(tr.cells, (td) => (td.textContent ?? '').trim()));
  };
  // The caption is shown in a head row that wraps beside the export buttons, outside the part that
  // scrolls sideways: a wide table on a phone never runs its caption under the buttons or off screen.
  // The table keeps a real <caption> for screen readers.
  return (
    <div className="results-wrap">
      <div className="results-head">
        <span className="results-caption" aria-hidden="true">
          {caption}
        </span>
        {stale ? (
          <span id="stale-note" className="stale-badge">
            stale: parameters changed since this run
          </span>
        ) : null}
        {rows.length ? (
          <div className="table-actions">
            {pin ? (
              <button
                type="button"
                className="btn btn-small"
                disabled={stale}
                title={stale ? 'Re-run first: this table is stale' : 'Pin this table to the evidence board'}
                onClick={() =>
                  pin({ kind: 'table', title: caption, source, table: { columns: header, rows: shownRows() } })
                }
              >
                Pin
              </button>
            ) : null}
            <button type="button" className="btn btn-small" onClick={exportCsv}>
              CSV
            </button>
            <button type="button" className="btn btn-small" onClick={exportJson}>
              JSON
            </button>
          </div>
        ) : null}
      </div>
      {/* A table wider than the screen scrolls: keyboard users reach it with Tab and scroll it with the arrows. */}
      <div className="results-scroll" tabIndex={0} role="region" aria-label={`${caption} (scrolls sideways)`}>
        <table
          ref={tableRef}
          className={`results ${stale ? 'stale' : ''}`}
          aria-describedby={stale ? 'stale-note' : undefined}
        >
          <caption className="sr-only">{caption}</caption>
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
                  <td key={c.key} className={isNumberCell(plain(c, r)) ? 'num' : undefined}>
                    {c.render(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
