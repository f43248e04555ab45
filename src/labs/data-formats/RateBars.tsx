import { wrapText } from '../../charts/layout';
import { HBar } from '../../charts/marks';
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
export function RateBars({
  rows,
  patternTitle,
}: {
  rows: Measurement[];
  patternTitle(p: AccessPattern, m: Measurement): string;
}) {
  const vals = rows.map((r) => r.rowsPerS).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...vals)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...vals)));
  // One band per bar plus a title band per pattern: keys "pattern" and "pattern|variant".
  const groups = PATTERNS.map((p) => ({ p, rows: rows.filter((r) => r.pattern === p) })).filter((g) => g.rows.length);
  const keys = groups.flatMap((g) => [g.p, ...g.rows.map((r) => `${g.p}|${r.variant}`)]);
  const titles = new Map(groups.map((g) => [g.p as string, patternTitle(g.p, g.rows[0])]));
  return (
    <Plot
      className="df-rate"
      ariaLabel="Rows per second by file format and access pattern (log scale)"
      height={keys.length * 20}
      interactive
      x={{
        type: 'log',
        domain: [lo, hi],
        label: 'rows of the table per second (log scale)',
        format: (v) => fmtCount(Number(v)),
        grid: true,
      }}
      y={{
        type: 'band',
        domain: keys,
        padding: 0.15,
        inline: true,
        format: (k) => (titles.has(String(k)) ? '' : label(String(k).split('|')[1])),
      }}
      fallbackWidth={720}
    >
      {(ctx) => (
        <>
          {groups.map((g) => {
            // Two lines at most on a phone: the title row and the name line above it have room for both.
            const lines = wrapText(titles.get(g.p) ?? '', ctx.width - 8, 12);
            const y1 = ctx.y(g.p) + ctx.y.bandwidth - (lines.length > 1 ? 16 : 2);
            return (
              <text key={g.p} x={4} y={y1} className="df-group-title">
                {lines.map((l, i) => (
                  <tspan key={i} x={4} dy={i ? 14 : 0}>
                    {l}
                  </tspan>
                ))}
              </text>
            );
          })}
          {groups.flatMap((g) =>
            g.rows.map((r) => (
              <HBar
                key={`${g.p}|${r.variant}`}
                ctx={ctx}
                row={`${g.p}|${r.variant}`}
                to={Math.max(r.rowsPerS, lo)}
                label={`${fmtCount(Math.round(r.rowsPerS))}/s`}
                className={VARIANT_CLASS[r.variant] ?? 'df-csv'}
                tip={[
                  `${label(r.variant)}, ${titles.get(g.p)}`,
                  `${fmtCount(Math.round(r.rowsPerS))} rows/s, ${r.ms.toFixed(2)} ms`,
                ]}
              />
            )),
          )}
        </>
      )}
    </Plot>
  );
}
