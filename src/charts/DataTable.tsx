/** A chart's numbers as a table: the text alternative a screen reader (or a curious student) can read. */
export interface TableSpec {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

const cell = (v: string | number, j: number) => <td key={j}>{v}</td>;

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
            {/* The first cell names its row, for a screen reader moving along a column. */}
            {rows.map(([head, ...rest], i) => (
              <tr key={i}>
                <th scope="row">{head}</th>
                {rest.map(cell)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
