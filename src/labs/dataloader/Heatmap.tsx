import { interpolateRgb } from 'd3';
import { Plot } from '../../charts/Plot';
import type { Sweep } from '../../sim/dataloader/types';

// From the idle grey to the busy violet of the palette: grey cells starve, violet ones are fed.
const color = interpolateRgb('#e4e6ea', '#7b4fd6');

/** Simulated utilization for each num_workers × prefetch_factor, the current setting outlined. */
export function Heatmap({ sweep, workers, prefetch }: { sweep: Sweep; workers: number; prefetch: number }) {
  return (
    <Plot
      className="dl-heatmap"
      ariaLabel="GPU utilization for each number of workers and prefetch factor"
      height={sweep.workers.length * 24}
      x={{ type: 'band', domain: sweep.prefetch, padding: 0.06, label: 'prefetch_factor' }}
      y={{ type: 'band', domain: sweep.workers, padding: 0.06, label: 'num_workers' }}
      fallbackWidth={420}
      maxWidth={560}
    >
      {(ctx) =>
        sweep.workers.map((w, i) =>
          sweep.prefetch.map((p, j) => {
            const u = sweep.utilization[i][j];
            const current = w === workers && (w === 0 ? j === 0 : p === prefetch);
            const x0 = ctx.x(p);
            const y0 = ctx.y(w);
            return (
              <g key={`${w}/${p}`}>
                <rect
                  x={x0}
                  y={y0}
                  width={ctx.x.bandwidth}
                  height={ctx.y.bandwidth}
                  fill={color(u)}
                  className={current ? 'dl-current' : undefined}
                >
                  <title>{`${w} workers, prefetch ${p}: ${(u * 100).toFixed(0)}% utilization`}</title>
                </rect>
                <text
                  x={x0 + ctx.x.bandwidth / 2}
                  y={y0 + ctx.y.bandwidth / 2}
                  dy="0.35em"
                  textAnchor="middle"
                  className={u > 0.55 ? 'dl-cell-dark' : 'dl-cell'}
                >
                  {w === 0 && j > 0 ? '' : `${(u * 100).toFixed(0)}%`}
                </text>
              </g>
            );
          }),
        )
      }
    </Plot>
  );
}
