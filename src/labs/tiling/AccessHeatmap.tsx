import { textWidth } from '../../charts/layout';
import { Plot } from '../../charts/Plot';
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
  if (!cols || !rows)
    return (
      <p className="muted">{kind === 'global' ? 'No global accesses' : 'No workgroup-memory accesses'} in this step.</p>
    );
  const maxCell = Math.max(ideal + 1, ...grid.rows.flat().map((v) => v ?? 0));
  const colour = kind === 'global' ? 'var(--hbm)' : 'var(--sram)';
  // Space boundaries: the first column of each run of accesses to the same buffer.
  const runs: { c: number; space: number }[] = [];
  grid.columns.forEach((col, c) => {
    if (!runs.length || runs[runs.length - 1].space !== col.space) runs.push({ c, space: col.space });
  });
  const colKeys = grid.columns.map((_, c) => c);
  const rowKeys = grid.rows.map((_, r) => `sg ${r}`);
  return (
    <div data-testid={`heatmap-${kind}`}>
      <Plot
        className="access-heatmap"
        ariaLabel={label}
        height={Math.max(6, Math.min(18, Math.floor(180 / rows))) * rows}
        pad={{ top: 16 }}
        maxWidth={60 + 18 * cols}
        x={{ type: 'band', domain: colKeys, padding: 0.04, hide: true, label: 'accesses in program order →' }}
        y={{ type: 'band', domain: rowKeys, padding: 0.04 }}
      >
        {(ctx) => {
          // A buffer's name over its first column, skipped where it would run into the previous name.
          let free = -Infinity;
          const named = runs.filter((run) => {
            const x = ctx.x(run.c);
            if (x < free) return false;
            free = x + textWidth(SPACE_NAMES[run.space]) + 8;
            return free <= ctx.width + 8;
          });
          return (
            <>
              {grid.rows.map((row, r) =>
                row.map((v, c) =>
                  v === null ? null : (
                    <rect
                      key={`${r}-${c}`}
                      x={ctx.x(c)}
                      y={ctx.y(rowKeys[r])}
                      width={ctx.x.bandwidth}
                      height={ctx.y.bandwidth}
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
              {named.map((run) => (
                <text key={run.c} x={ctx.x(run.c)} y={ctx.top - 5} className="hm-label">
                  {SPACE_NAMES[run.space]}
                </text>
              ))}
            </>
          );
        }}
      </Plot>
    </div>
  );
}
