/** A chart's numbers as a table: the text alternative a screen reader (or a curious student) can read. */
export interface TableSpec {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

/** Rendered under the chart behind a disclosure; scrolls in its own focusable box on a phone. */
export function DataTable({ caption, columns, rows }: TableSpec) {
  return (
    <details className="chart-table">
      <summary>Table: {caption}</summary>
      <div className="results-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table className="chart-data">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {r.map((v, j) => (
                  <td key={j}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
