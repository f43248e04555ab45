import { scaleLinear } from 'd3';
import { useMemo } from 'react';
import { fmtBytes } from '../../ui/format';
import type { CaseReport } from './check/report';

interface Bar {
  label: string;
  read: number;
  written: number;
  /** Only the user's kernel is split into read and written; the others are totals. */
  split: boolean;
}

/** Global-memory bytes of the user's kernel against the cost-model target and the naive starter, on one case. */
export function TrafficChart({ c }: { c: CaseReport }) {
  const bars: Bar[] = [
    { label: 'Your kernel', read: c.bytesRead, written: c.bytesWritten, split: true },
    { label: 'Target', read: c.targetRead, written: c.targetWritten, split: true },
  ];
  if (c.naiveBytes !== null) bars.push({ label: 'Starter (naive)', read: c.naiveBytes, written: 0, split: false });
  const width = 620;
  const left = 130;
  const right = 110;
  const rowH = 34;
  const top = 8;
  const height = top + bars.length * rowH + 34;
  const x = useMemo(() => {
    const max = Math.max(1, ...bars.map((b) => b.read + b.written));
    return scaleLinear()
      .domain([0, max])
      .range([left, width - right])
      .nice();
    // bars is rebuilt from c on every render; c is what changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- bars is rebuilt from c on every render
  }, [c]);
  const ticks = x.ticks(4);
  return (
    <svg
      className="chart wb-traffic"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Bytes moved to and from global memory; the results table lists the same numbers"
    >
      {ticks.map((t) => (
        <g key={t} transform={`translate(${x(t)},0)`}>
          <line y1={top} y2={height - 26} stroke="var(--border)" />
          <text y={height - 10} textAnchor="middle" className="muted wb-tick">
            {fmtBytes(t)}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const y = top + i * rowH;
        const total = b.read + b.written;
        return (
          <g key={b.label} transform={`translate(0,${y})`}>
            <text x={left - 8} y={rowH / 2 + 4} textAnchor="end" className="wb-bar-label">
              {b.label}
            </text>
            {b.split ? (
              <>
                <rect x={left} y={6} width={Math.max(0, x(b.read) - left)} height={rowH - 12} fill="var(--hbm)" opacity={b.label === 'Target' ? 0.45 : 1}>
                  <title>{`${b.label}: ${fmtBytes(b.read)} read`}</title>
                </rect>
                <rect
                  x={x(b.read)}
                  y={6}
                  width={Math.max(0, x(total) - x(b.read))}
                  height={rowH - 12}
                  fill="var(--hbm-soft)"
                  stroke="var(--hbm)"
                  opacity={b.label === 'Target' ? 0.6 : 1}
                >
                  <title>{`${b.label}: ${fmtBytes(b.written)} written`}</title>
                </rect>
              </>
            ) : (
              <rect x={left} y={6} width={Math.max(0, x(total) - left)} height={rowH - 12} fill="none" stroke="var(--hbm)" strokeDasharray="4 3">
                <title>{`${b.label}: ${fmtBytes(total)}`}</title>
              </rect>
            )}
            <text x={x(total) + 6} y={rowH / 2 + 4} className="wb-bar-value">
              {fmtBytes(total)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
