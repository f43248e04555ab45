import { max, scaleLinear } from 'd3';
import { Plot } from '../../charts/Plot';
import { fmtGflops } from '../../ui/format';
import type { SweepResult } from './sweep';

/** Measured GFLOP/s per output-tile shape: darker is faster, the best one outlined, refusals crossed out. */
export function SweepHeatmap({ sweep }: { sweep: SweepResult }) {
  const sides = sweep.tileSides;
  // Fill opacity from the fastest cell: a colour ramp, not an axis.
  const opacity = scaleLinear()
    .domain([0, max(sweep.cells, (c) => c.gflopPerS ?? 0) || 1])
    .range([0.08, 0.95]);
  return (
    <Plot
      className="sweep-heatmap"
      ariaLabel="Measured GFLOP/s per tile shape; the table below lists the same numbers"
      height={sides.length * 64}
      maxWidth={120 + sides.length * 96}
      x={{ type: 'band', domain: sides, padding: 0.05, label: 'tile N →' }}
      y={{ type: 'band', domain: sides, padding: 0.05, label: 'tile M ↓' }}
    >
      {(ctx) =>
        sweep.cells.map((c) => {
          const cx = ctx.x(c.tileN);
          const cy = ctx.y(c.tileM);
          const w = ctx.x.bandwidth;
          const h = ctx.y.bandwidth;
          const best = sweep.best && sweep.best.tileM === c.tileM && sweep.best.tileN === c.tileN;
          return (
            <g key={`${c.tileM}x${c.tileN}`} className={best ? 'hm-best' : undefined}>
              <title>
                {c.refused
                  ? `${c.tileM}×${c.tileN}: ${c.refused}`
                  : `${c.tileM}×${c.tileN}: ${fmtGflops(c.gflopPerS ?? 0)}`}
              </title>
              <rect
                x={cx}
                y={cy}
                width={w}
                height={h}
                rx={4}
                className={c.refused ? 'hm-refused' : 'hm-cell'}
                fillOpacity={c.gflopPerS === null ? undefined : opacity(c.gflopPerS)}
              />
              <text
                x={cx + w / 2}
                y={cy + h / 2}
                dy={best ? '-0.2em' : '0.35em'}
                textAnchor="middle"
                className="hm-text"
              >
                {c.refused ? 'cannot run' : fmtGflops(c.gflopPerS ?? 0).replace('FLOP/s', '')}
              </text>
              {best ? (
                <text x={cx + w / 2} y={cy + h / 2} dy="1.1em" textAnchor="middle" className="hm-text">
                  best
                </text>
              ) : null}
            </g>
          );
        })
      }
    </Plot>
  );
}
