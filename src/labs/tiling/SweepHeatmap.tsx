import { max, scaleBand, scaleLinear } from 'd3';
import { useMemo } from 'react';
import { fmtGflops } from '../../ui/format';
import type { SweepResult } from './sweep';

/** Measured GFLOP/s per output-tile shape: darker is faster, the best one outlined, refusals crossed out. */
export function SweepHeatmap({ sweep }: { sweep: SweepResult }) {
  const cell = 74;
  const left = 70;
  const top = 34;
  const sides = sweep.tileSides;
  const x = useMemo(
    () =>
      scaleBand<number>()
        .domain(sides)
        .range([left, left + cell * sides.length]),
    [sides],
  );
  const y = useMemo(
    () =>
      scaleBand<number>()
        .domain(sides)
        .range([top, top + cell * sides.length]),
    [sides],
  );
  const opacity = useMemo(
    () =>
      scaleLinear()
        .domain([0, max(sweep.cells, (c) => c.gflopPerS ?? 0) || 1])
        .range([0.08, 0.95]),
    [sweep.cells],
  );
  const width = left + cell * sides.length + 10;
  const height = top + cell * sides.length + 10;
  return (
    <svg
      className="chart sweep-heatmap"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Measured GFLOP/s per tile shape; the table below lists the same numbers"
    >
      <text x={left + (cell * sides.length) / 2} y={12} textAnchor="middle" className="tg-label">
        tile N →
      </text>
      <text x={8} y={top - 8} className="tg-label">
        tile M ↓
      </text>
      {sides.map((s) => (
        <text key={`n${s}`} x={(x(s) ?? 0) + cell / 2} y={top - 6} textAnchor="middle" className="muted">
          {s}
        </text>
      ))}
      {sides.map((s) => (
        <text key={`m${s}`} x={left - 8} y={(y(s) ?? 0) + cell / 2 + 4} textAnchor="end" className="muted">
          {s}
        </text>
      ))}
      {sweep.cells.map((c) => {
        const cx = x(c.tileN) ?? 0;
        const cy = y(c.tileM) ?? 0;
        const best = sweep.best && sweep.best.tileM === c.tileM && sweep.best.tileN === c.tileN;
        return (
          <g key={`${c.tileM}x${c.tileN}`} className={best ? 'hm-best' : undefined}>
            <title>{c.refused ? `${c.tileM}×${c.tileN}: ${c.refused}` : `${c.tileM}×${c.tileN}: ${fmtGflops(c.gflopPerS ?? 0)}`}</title>
            <rect
              x={cx + 2}
              y={cy + 2}
              width={cell - 4}
              height={cell - 4}
              rx={4}
              className={c.refused ? 'hm-refused' : 'hm-cell'}
              fillOpacity={c.gflopPerS === null ? undefined : opacity(c.gflopPerS)}
            />
            <text x={cx + cell / 2} y={cy + cell / 2 + 4} textAnchor="middle" className="hm-text">
              {c.refused ? 'cannot run' : fmtGflops(c.gflopPerS ?? 0).replace('FLOP/s', '')}
            </text>
            {best ? (
              <text x={cx + cell / 2} y={cy + cell - 8} textAnchor="middle" className="hm-text">
                best
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
