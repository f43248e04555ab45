import { interpolateRgb, scaleBand } from 'd3';
import { useMemo } from 'react';
import type { Sweep } from '../../sim/dataloader/types';

const W = 420;
const LEFT = 90;
const TOP = 34;

/** Simulated utilization for each num_workers × prefetch_factor, the current setting outlined. */
export function Heatmap({ sweep, workers, prefetch }: { sweep: Sweep; workers: number; prefetch: number }) {
  const cellH = 22;
  const H = TOP + sweep.workers.length * cellH + 8;
  const { x, y } = useMemo(
    () => ({
      x: scaleBand<number>()
        .domain(sweep.prefetch)
        .range([LEFT, W - 8])
        .padding(0.06),
      y: scaleBand<number>()
        .domain(sweep.workers)
        .range([TOP, H - 8])
        .padding(0.06),
    }),
    [sweep, H],
  );
  // From the idle grey to the busy violet of the palette: grey cells starve, violet ones are fed.
  const color = interpolateRgb('#e4e6ea', '#7b4fd6');
  return (
    <svg className="chart dl-heatmap" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="GPU utilization for each number of workers and prefetch factor">
      <text x={(LEFT + W) / 2} y={12} textAnchor="middle" className="muted">
        prefetch_factor
      </text>
      {sweep.prefetch.map((p) => (
        <text key={p} x={x(p)! + x.bandwidth() / 2} y={TOP - 6} textAnchor="middle">
          {p}
        </text>
      ))}
      <text x={12} y={TOP - 6} className="muted">
        num_workers
      </text>
      {sweep.workers.map((w, i) => (
        <g key={w}>
          <text x={LEFT - 8} y={y(w)! + y.bandwidth() * 0.72} textAnchor="end">
            {w}
          </text>
          {sweep.prefetch.map((p, j) => {
            const u = sweep.utilization[i][j];
            const current = w === workers && (w === 0 ? j === 0 : p === prefetch);
            return (
              <g key={p}>
                <rect x={x(p)} y={y(w)} width={x.bandwidth()} height={y.bandwidth()} fill={color(u)} className={current ? 'dl-current' : undefined}>
                  <title>{`${w} workers, prefetch ${p}: ${(u * 100).toFixed(0)}% utilization`}</title>
                </rect>
                <text x={x(p)! + x.bandwidth() / 2} y={y(w)! + y.bandwidth() * 0.72} textAnchor="middle" className={u > 0.55 ? 'dl-cell-dark' : 'dl-cell'}>
                  {w === 0 && j > 0 ? '' : `${(u * 100).toFixed(0)}%`}
                </text>
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
