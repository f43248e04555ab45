import { SPACE_NAMES, type accessGrid } from '../../kernels/matmul/access';

/**
 * One heatmap of a trace: a row per subgroup, a column per access in program order, each cell the
 * access's cost: 128-byte segments (global, orange) or bank passes (workgroup memory, teal). The
 * darkest cell is the worst; 1 is ideal for a bank pass of 4-byte words (4 for a 16-byte access,
 * served in four 8-lane phases) and for a 32-lane access of 4-byte words within one segment.
 */
export function AccessHeatmap({
  grid,
  kind,
  ideal,
  label,
}: {
  grid: ReturnType<typeof accessGrid>;
  kind: 'global' | 'shared';
  /** Cells at or under this are drawn as ideal. */
  ideal: number;
  label: string;
}) {
  const cols = grid.columns.length;
  const rows = grid.rows.length;
  if (!cols || !rows) return <p className="muted">{kind === 'global' ? 'No global accesses' : 'No workgroup-memory accesses'} in this step.</p>;
  const maxCell = Math.max(ideal + 1, ...grid.rows.flat().map((v) => v ?? 0));
  const cw = Math.max(3, Math.min(18, Math.floor(560 / cols)));
  const ch = Math.max(6, Math.min(18, Math.floor(180 / rows)));
  const left = 34;
  const top = 16;
  const width = left + cw * cols + 6;
  const height = top + ch * rows + 18;
  const colour = kind === 'global' ? 'var(--hbm)' : 'var(--sram)';
  // Space boundaries: label the first column of each run of the same space.
  const runs: { c: number; space: number }[] = [];
  grid.columns.forEach((col, c) => {
    if (!runs.length || runs[runs.length - 1].space !== col.space) runs.push({ c, space: col.space });
  });
  return (
    <svg className="chart access-heatmap" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid={`heatmap-${kind}`}>
      {grid.rows.map((row, r) =>
        row.map((v, c) =>
          v === null ? null : (
            <rect
              key={`${r}-${c}`}
              x={left + c * cw}
              y={top + r * ch}
              width={cw - 0.5}
              height={ch - 0.5}
              fill={v <= ideal ? 'var(--bg-2, #eef0f2)' : colour}
              fillOpacity={v <= ideal ? 1 : 0.25 + (0.75 * (v - ideal)) / Math.max(1, maxCell - ideal)}
            >
              <title>
                subgroup {r}, access {grid.columns[c].index} ({SPACE_NAMES[grid.columns[c].space]}): {v}{' '}
                {kind === 'global' ? 'segments of 128 B' : 'bank passes'}
              </title>
            </rect>
          ),
        ),
      )}
      {runs.map((run) => (
        <text key={run.c} x={left + run.c * cw} y={top - 4} className="hm-label">
          {SPACE_NAMES[run.space]}
        </text>
      ))}
      <text x={2} y={top + ch * 0.8} className="hm-label">
        sg 0
      </text>
      {rows > 1 ? (
        <text x={2} y={top + ch * (rows - 0.2)} className="hm-label">
          sg {rows - 1}
        </text>
      ) : null}
      <text x={left} y={height - 4} className="hm-label">
        accesses in program order →
      </text>
    </svg>
  );
}
