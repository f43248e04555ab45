import { line, scaleLinear, scaleLog } from 'd3';
import { useMemo } from 'react';
import type { SweepPoint } from './run';
import { fmtHours, timeTicks } from './labels';

interface Props {
  sweep: SweepPoint[];
  youngH: number;
  dalyH: number;
  chosenH: number;
}

const W = 560;
const H = 230;
const M = { l: 48, r: 14, t: 16, b: 40 };

/** Goodput against checkpoint interval: simulated points, Daly's closed form, the Young/Daly optimum. */
export function IntervalSweep({ sweep, youngH, dalyH, chosenH }: Props) {
  const { x, y, sim, daly, best } = useMemo(() => {
    const xs = sweep.map((p) => p.intervalH);
    const x = scaleLog()
      .domain([Math.min(...xs, chosenH), Math.max(...xs, chosenH)])
      .range([M.l, W - M.r]);
    const vals = sweep.flatMap((p) => [p.goodput, p.daly]);
    const y = scaleLinear()
      .domain([Math.max(0, Math.min(...vals) - 0.02), Math.min(1, Math.max(...vals) + 0.02)])
      .range([H - M.b, M.t])
      .nice();
    const sim = line<SweepPoint>()
      .x((p) => x(p.intervalH))
      .y((p) => y(p.goodput))(sweep);
    const daly = line<SweepPoint>()
      .x((p) => x(p.intervalH))
      .y((p) => y(p.daly))(sweep);
    const best = sweep.reduce((a, b) => (b.goodput > a.goodput ? b : a), sweep[0]);
    return { x, y, sim, daly, best };
  }, [sweep, chosenH]);
  const inRange = (h: number) => h >= x.domain()[0] && h <= x.domain()[1];
  return (
    <svg className="chart cluster-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Goodput against checkpoint interval with the Young/Daly optimum marked">
      {y.ticks(5).map((t) => (
        <g key={t}>
          <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} stroke="var(--border)" />
          <text x={M.l - 6} y={y(t) + 4} textAnchor="end" className="cluster-tick">
            {Math.round(t * 100)}%
          </text>
        </g>
      ))}
      {timeTicks(x.domain() as [number, number], x).map((t, i) => (
        <text key={i} x={x(t)} y={H - M.b + 14} textAnchor="middle" className="cluster-tick">
          {fmtHours(t)}
        </text>
      ))}
      <text x={(M.l + W - M.r) / 2} y={H - 6} textAnchor="middle" className="cluster-tick">
        checkpoint interval (log scale)
      </text>
      {inRange(youngH) ? (
        <g>
          <line x1={x(youngH)} x2={x(youngH)} y1={M.t} y2={H - M.b} stroke="var(--sram)" strokeWidth={2} />
          <text x={x(youngH) + 4} y={M.t + 10} className="cluster-tick">
            Young √(2·C·MTBF) = {fmtHours(youngH)}
          </text>
        </g>
      ) : null}
      {inRange(dalyH) ? <line x1={x(dalyH)} x2={x(dalyH)} y1={M.t + 14} y2={H - M.b} stroke="var(--sram)" strokeDasharray="3 3" /> : null}
      <path d={daly ?? ''} fill="none" stroke="var(--fg-2)" strokeDasharray="5 3" />
      <path d={sim ?? ''} fill="none" stroke="var(--compute)" strokeWidth={2} />
      {sweep.map((p) => (
        <circle key={p.intervalH} cx={x(p.intervalH)} cy={y(p.goodput)} r={p === best ? 4.5 : 2.5} fill="var(--compute)">
          <title>{`every ${fmtHours(p.intervalH)}: goodput ${(p.goodput * 100).toFixed(2)}% simulated, ${(p.daly * 100).toFixed(2)}% Daly`}</title>
        </circle>
      ))}
      {inRange(chosenH) ? (
        <g>
          <line x1={x(chosenH)} x2={x(chosenH)} y1={M.t + 20} y2={H - M.b} stroke="var(--fg)" strokeDasharray="2 2" />
          <text x={x(chosenH) + 4} y={H - M.b - 6} className="cluster-tick">
            yours
          </text>
        </g>
      ) : null}
      <g transform={`translate(${M.l + 8}, ${H - M.b - 22})`}>
        <line x1={0} x2={16} y1={-4} y2={-4} stroke="var(--compute)" strokeWidth={2} />
        <text x={20} className="cluster-tick">
          simulated
        </text>
        <line x1={90} x2={106} y1={-4} y2={-4} stroke="var(--fg-2)" strokeDasharray="5 3" />
        <text x={110} className="cluster-tick">
          Daly 2006 (no node repairs)
        </text>
      </g>
    </svg>
  );
}
