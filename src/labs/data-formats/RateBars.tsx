import { BarLabel } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import type { AccessPattern, Measurement } from '../../data/measure';
import { fmtCount } from '../../ui/format';
import { VARIANT_CLASS, VARIANT_LABEL } from './labels';

const PATTERNS: AccessPattern[] = ['full', 'projection', 'filter'];
const label = (v: string) => VARIANT_LABEL[v] ?? v;

/**
 * Rows of the table answered per second, per access pattern and file: horizontal bars on a log
 * axis (the formats differ by orders of magnitude), grouped by pattern under the pattern's title.
 */
export function RateBars({ rows, patternTitle }: { rows: Measurement[]; patternTitle(p: AccessPattern, m: Measurement): string }) {
  const vals = rows.map((r) => r.rowsPerS).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...vals)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...vals)));
  // One band per bar plus a title band per pattern: keys "pattern" and "pattern|variant".
  const groups = PATTERNS.map((p) => ({ p, rows: rows.filter((r) => r.pattern === p) })).filter((g) => g.rows.length);
  const keys = groups.flatMap((g) => [g.p, ...g.rows.map((r) => `${g.p}|${r.variant}`)]);
  const titles = new Map(groups.map((g) => [g.p as string, patternTitle(g.p, g.rows[0])]));
  return (
    <div className="df-scroll">
      <Plot
        className="df-rate"
        ariaLabel="Rows per second by file format and access pattern (log scale)"
        height={keys.length * 20}
        interactive
        x={{ type: 'log', domain: [lo, hi], label: 'rows of the table per second (log scale)', format: (v) => fmtCount(Number(v)), grid: true }}
        y={{ type: 'band', domain: keys, padding: 0.15, inline: true, format: (k) => (titles.has(String(k)) ? '' : label(String(k).split('|')[1])) }}
        fallbackWidth={720}
      >
        {(ctx) => (
          <>
            {groups.map((g) => (
              <text key={g.p} x={4} y={ctx.y(g.p) + ctx.y.bandwidth * 0.75} className="df-group-title">
                {titles.get(g.p)}
              </text>
            ))}
            {groups.flatMap((g) =>
              g.rows.map((r) => {
                const y0 = ctx.y(`${g.p}|${r.variant}`);
                const end = Math.max(ctx.left + 1, ctx.x(Math.max(r.rowsPerS, lo)));
                return (
                  <g key={`${g.p}|${r.variant}`}>
                    <rect
                      x={ctx.left}
                      y={y0}
                      width={end - ctx.left}
                      height={ctx.y.bandwidth}
                      className={VARIANT_CLASS[r.variant] ?? 'df-csv'}
                      {...ctx.tip([`${label(r.variant)}, ${titles.get(g.p)}`, `${fmtCount(Math.round(r.rowsPerS))} rows/s, ${r.ms.toFixed(2)} ms`], [end, y0])}
                    />
                    <BarLabel ctx={ctx} end={end} y={y0 + ctx.y.bandwidth / 2} text={`${fmtCount(Math.round(r.rowsPerS))}/s`} />
                  </g>
                );
              }),
            )}
          </>
        )}
      </Plot>
    </div>
  );
}
