import { key } from '../../charts/Legend';
import { LineMark, RuleX } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import type { ScalingPoint, Strategy } from '../../sim/cluster';
import { STRATEGY_LABEL } from './labels';

interface Props {
  points: ScalingPoint[];
  gpus: number;
  chosen: Strategy;
  efficiency: number;
}

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
  const xs = points.map((p) => p.gpus);
  const lo = Math.min(...xs, gpus);
  const hi = Math.max(...xs, gpus);
  const byStrategy = new Map<Strategy, ScalingPoint[]>();
  for (const p of points) byStrategy.set(p.strategy, [...(byStrategy.get(p.strategy) ?? []), p]);
  const lines = [...byStrategy.entries()].map(([s, pts]) => ({ s, pts: pts.filter((p) => p.step) }));
  const legend = [
    ...lines.map((l) => ({
      label: STRATEGY_LABEL[l.s],
      color: STYLE[l.s].color,
      shape: STYLE[l.s].dash ? ('dash' as const) : ('line' as const),
      dash: STYLE[l.s].dash,
    })),
    key.ring('out of memory', 'var(--error)'),
    key.dash('your GPU count', 'var(--fg-2)', '3 3'),
  ];
  return (
    <Plot
      interactive
      table={{
        caption: 'modelled MFU per strategy and GPU count',
        columns: ['strategy', 'GPUs', 'MFU', 'needs per GPU'],
        rows: lines.flatMap((l) =>
          l.pts.map((p) => [
            STRATEGY_LABEL[l.s],
            p.gpus,
            `${(p.step!.mfu * 100).toFixed(1)}%`,
            `${p.memoryGB.toFixed(0)} GB${p.fits ? '' : ' (out of memory)'}`,
          ]),
        ),
      }}
      className="cluster-chart"
      ariaLabel="Modelled MFU against GPU count for DDP and ZeRO stages"
      height={180}
      legend={legend}
      x={{
        type: 'log',
        base: 2,
        domain: [lo, hi],
        label: 'GPUs (log₂ scale), fixed global batch',
        format: (v) => (Number(v) >= 1024 ? `${Number(v) / 1024}k` : String(v)),
      }}
      y={{
        type: 'linear',
        domain: [0, Math.max(efficiency, 0.05)],
        nice: true,
        label: 'MFU (modelled)',
        format: (v) => `${Math.round(Number(v) * 100)}%`,
        grid: true,
      }}
    >
      {(ctx) => (
        <>
          <RuleX ctx={ctx} at={gpus} dash="3 3" stroke="var(--fg-2)" />
          {lines.map((l) => (
            <g key={l.s} data-strategy={l.s}>
              <LineMark
                ctx={ctx}
                pts={l.pts.map((p) => [p.gpus, p.step!.mfu])}
                stroke={STYLE[l.s].color}
                strokeWidth={l.s === chosen ? 3 : 1.5}
                strokeDasharray={STYLE[l.s].dash}
              />
              {l.pts.map((p) => {
                const at: [number, number] = [ctx.x(p.gpus), ctx.y(p.step!.mfu)];
                return p.fits ? (
                  <circle
                    key={p.gpus}
                    cx={at[0]}
                    cy={at[1]}
                    r={l.s === chosen ? 3.5 : 2.5}
                    fill={STYLE[l.s].color}
                    {...ctx.tip(
                      [`${STRATEGY_LABEL[l.s]}, ${p.gpus} GPUs`, `MFU ${(p.step!.mfu * 100).toFixed(1)}%`],
                      at,
                    )}
                  />
                ) : (
                  <circle
                    key={p.gpus}
                    cx={at[0]}
                    cy={at[1]}
                    r={4}
                    fill="none"
                    stroke="var(--error)"
                    strokeWidth={1.5}
                    {...ctx.tip(
                      [
                        `${STRATEGY_LABEL[l.s]}, ${p.gpus} GPUs`,
                        `needs ${p.memoryGB.toFixed(0)} GB per GPU — out of memory`,
                      ],
                      at,
                    )}
                  />
                );
              })}
            </g>
          ))}
        </>
      )}
    </Plot>
  );
}
