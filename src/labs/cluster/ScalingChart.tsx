import { line, scaleLinear, scaleLog } from 'd3';
import { useMemo } from 'react';
import type { ScalingPoint, Strategy } from '../../sim/cluster';
import { STRATEGY_LABEL } from './labels';

interface Props {
  points: ScalingPoint[];
  gpus: number;
  chosen: Strategy;
  efficiency: number;
}

const W = 560;
const H = 262;
const M = { l: 48, r: 14, t: 14, b: 62 };
const STYLE: Record<Strategy, { color: string; dash?: string }> = {
  ddp: { color: 'var(--hbm)' },
  zero1: { color: 'var(--sram)', dash: '2 3' },
  zero2: { color: 'var(--accent)', dash: '6 3' },
  zero3: { color: 'var(--compute)' },
};

/**
 * Modelled MFU against GPU count at a fixed global batch, one line per strategy. Hollow red rings are
 * configurations that do not fit in memory; lines end where the batch has no micro-batch left per replica.
 */
export function ScalingChart({ points, gpus, chosen, efficiency }: Props) {
  const { x, y, lines } = useMemo(() => {
    const xs = points.map((p) => p.gpus);
    const x = scaleLog()
      .base(2)
      .domain([Math.min(...xs, gpus), Math.max(...xs, gpus)])
      .range([M.l, W - M.r]);
    const y = scaleLinear().domain([0, Math.max(efficiency, 0.05)]).range([H - M.b, M.t]).nice();
    const byStrategy = new Map<Strategy, ScalingPoint[]>();
    for (const p of points) byStrategy.set(p.strategy, [...(byStrategy.get(p.strategy) ?? []), p]);
    const lines = [...byStrategy.entries()].map(([s, pts]) => {
      const ok = pts.filter((p) => p.step);
      const d = line<ScalingPoint>()
        .x((p) => x(p.gpus))
        .y((p) => y(p.step!.mfu))(ok);
      return { s, pts: ok, d };
    });
    return { x, y, lines };
  }, [points, gpus, efficiency]);
  const ticks = x.ticks().filter((t) => Number.isInteger(Math.log2(t)) && Math.log2(t) % 2 === 0);
  return (
    <svg className="chart cluster-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Modelled MFU against GPU count for DDP and ZeRO stages">
      {y.ticks(5).map((t) => (
        <g key={t}>
          <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} stroke="var(--border)" />
          <text x={M.l - 6} y={y(t) + 4} textAnchor="end" className="cluster-tick">
            {Math.round(t * 100)}%
          </text>
        </g>
      ))}
      {ticks.map((t) => (
        <text key={t} x={x(t)} y={H - M.b + 14} textAnchor="middle" className="cluster-tick">
          {t >= 1024 ? `${t / 1024}k` : t}
        </text>
      ))}
      <text x={(M.l + W - M.r) / 2} y={H - M.b + 30} textAnchor="middle" className="cluster-tick">
        GPUs (log₂ scale), fixed global batch
      </text>
      <line x1={x(gpus)} x2={x(gpus)} y1={M.t} y2={H - M.b} stroke="var(--fg-2)" strokeDasharray="3 3" />
      {lines.map((l) => (
        <g key={l.s} data-strategy={l.s}>
          <path d={l.d ?? ''} fill="none" stroke={STYLE[l.s].color} strokeWidth={l.s === chosen ? 3 : 1.5} strokeDasharray={STYLE[l.s].dash} />
          {l.pts.map((p) =>
            p.fits ? (
              <circle key={p.gpus} cx={x(p.gpus)} cy={y(p.step!.mfu)} r={l.s === chosen ? 3.5 : 2.5} fill={STYLE[l.s].color}>
                <title>{`${STRATEGY_LABEL[l.s]}, ${p.gpus} GPUs: MFU ${(p.step!.mfu * 100).toFixed(1)}%`}</title>
              </circle>
            ) : (
              <circle key={p.gpus} cx={x(p.gpus)} cy={y(p.step!.mfu)} r={4} fill="none" stroke="var(--error)" strokeWidth={1.5}>
                <title>{`${STRATEGY_LABEL[l.s]}, ${p.gpus} GPUs: needs ${p.memoryGB.toFixed(0)} GB per GPU — out of memory`}</title>
              </circle>
            ),
          )}
        </g>
      ))}
      {/* Legend in one row under the axis, clear of the lines. */}
      <g transform={`translate(${M.l}, ${H - 8})`}>
        {lines.map((l, i) => (
          <g key={l.s} transform={`translate(${[0, 66, 150, 234][i] ?? i * 80}, 0)`}>
            <line x1={0} x2={16} y1={-4} y2={-4} stroke={STYLE[l.s].color} strokeWidth={2.5} strokeDasharray={STYLE[l.s].dash} />
            <text x={20} className="cluster-tick">
              {STRATEGY_LABEL[l.s]}
            </text>
          </g>
        ))}
        <g transform="translate(352, 0)">
          <circle cx={6} cy={-4} r={4} fill="none" stroke="var(--error)" strokeWidth={1.5} />
          <text x={14} className="cluster-tick">
            out of memory
          </text>
        </g>
      </g>
    </svg>
  );
}
