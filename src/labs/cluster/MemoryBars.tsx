import { scaleLinear } from 'd3';
import { useMemo } from 'react';
import type { MemoryBreakdown, Strategy } from '../../sim/cluster';
import { MEMORY_KINDS, STRATEGY_LABEL, fmtGB } from './labels';

interface Props {
  rows: { strategy: Strategy; m: MemoryBreakdown }[];
  capacityGB: number;
  gpuName: string;
}

const W = 560;
const ROW = 34;
const M = { l: 112, r: 16, t: 22, b: 46 };
// Legend entries placed by their label lengths (~6 px per character at 11 px).
const LEGEND_X = MEMORY_KINDS.reduce<number[]>((xs, _k, i) => [...xs, i === 0 ? 0 : xs[i - 1] + MEMORY_KINDS[i - 1].label.length * 6 + 26], []);

/** One stacked bar per data-parallel strategy (the chosen one first) against the GPU's memory. */
export function MemoryBars({ rows, capacityGB, gpuName }: Props) {
  const H = M.t + rows.length * ROW + M.b;
  const x = useMemo(() => {
    // Room right of each bar that fits for its label; bars over the line carry theirs inside.
    const top = Math.max(capacityGB * 1.15, ...rows.map((r) => (r.m.total / 1e9) * (r.m.total / 1e9 > capacityGB ? 1.05 : 1.2)));
    return scaleLinear().domain([0, top]).range([M.l, W - M.r]).nice();
  }, [rows, capacityGB]);
  const cap = x(capacityGB);
  return (
    <svg className="chart cluster-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Memory per GPU for each strategy against ${gpuName}'s ${capacityGB} GB`}>
      {x.ticks(5).map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={M.t - 4} y2={H - M.b + 4} stroke="var(--border)" />
          <text x={x(t)} y={H - M.b + 16} textAnchor={x(t) > W - 30 ? 'end' : 'middle'} className="cluster-tick">
            {t} GB
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const y = M.t + i * ROW + 5;
        let acc = 0;
        const over = r.m.total / 1e9 > capacityGB;
        return (
          <g key={r.strategy} data-strategy={r.strategy}>
            <text x={M.l - 8} y={y + 15} textAnchor="end" className={i === 0 ? 'cluster-label strong' : 'cluster-label'}>
              {STRATEGY_LABEL[r.strategy]}
            </text>
            {MEMORY_KINDS.map((k) => {
              const v = r.m[k.key] / 1e9;
              const x0 = x(acc);
              acc += v;
              const w = x(acc) - x0;
              return w > 0 ? (
                <rect key={k.key} x={x0} y={y} width={w} height={22} fill={k.color} opacity={i === 0 ? 1 : 0.75}>
                  <title>{`${k.label}: ${fmtGB(r.m[k.key])}`}</title>
                </rect>
              ) : null;
            })}
            {over ? <rect x={M.l} y={y} width={x(acc) - M.l} height={22} fill="none" stroke="var(--error)" strokeWidth={2} /> : null}
            {/* Over the line the bar is long enough to carry its own label, so it never runs off the chart. */}
            <text x={over ? x(acc) - 6 : x(acc) + 4} y={y + 15} textAnchor={over ? 'end' : 'start'} className={over ? 'cluster-value oom' : 'cluster-value'}>
              {fmtGB(r.m.total)}
              {over ? ' · out of memory' : ''}
            </text>
          </g>
        );
      })}
      <line x1={cap} x2={cap} y1={M.t - 10} y2={H - M.b + 4} stroke="var(--fg)" strokeWidth={2} strokeDasharray="5 3" />
      <text x={cap} y={M.t - 12} textAnchor={cap > W - 120 ? 'end' : 'middle'} className="cluster-label">
        {gpuName}: {capacityGB} GB
      </text>
      <g transform={`translate(${M.l - 68}, ${H - 18})`}>
        {MEMORY_KINDS.map((k, i) => (
          <g key={k.key} transform={`translate(${LEGEND_X[i]}, 0)`}>
            <rect width={10} height={10} y={-9} fill={k.color} />
            <text x={14} className="cluster-tick">
              {k.label}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}
