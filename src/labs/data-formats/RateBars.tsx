import { scaleBand, scaleLog } from 'd3';
import { useMemo } from 'react';
import type { AccessPattern, Measurement } from '../../data/measure';
import { fmtCount } from '../../ui/format';
import { VARIANT_CLASS, VARIANT_LABEL } from './labels';

const PATTERNS: AccessPattern[] = ['full', 'projection', 'filter'];

/**
 * Rows of the table answered per second, per access pattern and file: horizontal bars on a log
 * axis (the formats differ by orders of magnitude), grouped by pattern.
 */
export function RateBars({ rows, patternTitle }: { rows: Measurement[]; patternTitle(p: AccessPattern, m: Measurement): string }) {
  const variants = useMemo(() => [...new Set(rows.map((r) => r.variant))], [rows]);
  const W = 720;
  const left = 190;
  const right = 96;
  const bar = 15;
  const groupGap = 26;
  const groupH = variants.length * (bar + 3) + groupGap;
  const H = PATTERNS.length * groupH + 42;
  const x = useMemo(() => {
    const vals = rows.map((r) => r.rowsPerS).filter((v) => v > 0);
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    return scaleLog()
      .domain([10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))])
      .range([left, W - right]);
  }, [rows]);
  const y = scaleBand<string>()
    .domain(variants)
    .range([0, variants.length * (bar + 3)]);
  const ticks = x.ticks(6).filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  return (
    <div className="df-scroll">
      <svg viewBox={`0 0 ${W} ${H}`} className="chart df-rate" role="img" aria-label="Rows per second by file format and access pattern (log scale)">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={0} y2={H - 34} className="df-grid" />
            <text x={x(t)} y={H - 22} textAnchor="middle" className="df-tick">
              {fmtCount(t)}
            </text>
          </g>
        ))}
        {PATTERNS.map((p, gi) => {
          const group = rows.filter((r) => r.pattern === p);
          if (!group.length) return null;
          const y0 = gi * groupH + 16;
          return (
            <g key={p} transform={`translate(0,${y0})`}>
              <text x={4} y={-4} className="df-group-title">
                {patternTitle(p, group[0])}
              </text>
              {group.map((r) => (
                <g key={r.variant} transform={`translate(0,${y(r.variant) ?? 0})`}>
                  <text x={left - 6} y={bar - 3} textAnchor="end" className="df-bar-label">
                    {VARIANT_LABEL[r.variant] ?? r.variant}
                  </text>
                  <rect
                    x={left}
                    width={Math.max(1, x(Math.max(r.rowsPerS, x.domain()[0])) - left)}
                    height={bar}
                    className={VARIANT_CLASS[r.variant] ?? 'df-csv'}
                  >
                    <title>{`${VARIANT_LABEL[r.variant] ?? r.variant}: ${fmtCount(Math.round(r.rowsPerS))} rows/s, ${r.ms.toFixed(2)} ms`}</title>
                  </rect>
                  <text x={x(Math.max(r.rowsPerS, x.domain()[0])) + 4} y={bar - 3} className="df-bar-value">
                    {fmtCount(Math.round(r.rowsPerS))}/s
                  </text>
                </g>
              ))}
            </g>
          );
        })}
        <text x={(left + W - right) / 2} y={H - 4} textAnchor="middle" className="df-tick">
          rows of the table per second (log scale)
        </text>
      </svg>
    </div>
  );
}
