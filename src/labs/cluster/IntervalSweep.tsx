import { key } from '../../charts/Legend';
import { durationTicks } from '../../charts/timeTicks';
import { LineMark, RuleX } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import type { SweepPoint } from './run';
import { fmtHours } from './labels';

interface Props {
  sweep: SweepPoint[];
  youngH: number;
  dalyH: number;
  chosenH: number;
}

/** Goodput against checkpoint interval: simulated points, Daly's closed form, the Young/Daly optimum. */
export function IntervalSweep({ sweep, youngH, dalyH, chosenH }: Props) {
  const xs = sweep.map((p) => p.intervalH);
  const lo = Math.min(...xs, chosenH);
  const hi = Math.max(...xs, chosenH);
  const vals = sweep.flatMap((p) => [p.goodput, p.daly]);
  const best = sweep.reduce((a, b) => (b.goodput > a.goodput ? b : a), sweep[0]);
  const legend = [
    key.line('simulated', 'var(--compute)'),
    key.dash('Daly 2006 (no node repairs)', 'var(--fg-2)'),
    key.line(`Young √(2·C·MTBF) = ${fmtHours(youngH)}`, 'var(--sram)'),
    key.dash('Daly’s optimum', 'var(--sram)', '3 3'),
    key.dash('yours', 'var(--fg)', '2 2'),
  ];
  return (
    <Plot
      className="cluster-chart"
      ariaLabel="Goodput against checkpoint interval with the Young/Daly optimum marked"
      height={170}
      interactive
      table={{
        caption: 'goodput per checkpoint interval',
        columns: ['every', 'simulated', 'Daly 2006'],
        rows: sweep.map((p) => [
          fmtHours(p.intervalH),
          `${(p.goodput * 100).toFixed(2)}%`,
          `${(p.daly * 100).toFixed(2)}%`,
        ]),
      }}
      legend={legend}
      x={{
        type: 'log',
        domain: [lo, hi],
        ticks: durationTicks(lo, hi),
        label: 'checkpoint interval (log scale)',
        format: (v) => fmtHours(Number(v)),
      }}
      y={{
        type: 'linear',
        domain: [Math.max(0, Math.min(...vals) - 0.02), Math.min(1, Math.max(...vals) + 0.02)],
        nice: true,
        label: 'goodput',
        format: (v) => `${Math.round(Number(v) * 100)}%`,
        grid: true,
      }}
    >
      {(ctx) => (
        <>
          <RuleX ctx={ctx} at={youngH} stroke="var(--sram)" />
          <RuleX ctx={ctx} at={dalyH} stroke="var(--sram)" dash="3 3" />
          <RuleX ctx={ctx} at={chosenH} stroke="var(--fg)" dash="2 2" />
          <LineMark
            ctx={ctx}
            pts={sweep.map((p) => [p.intervalH, p.daly])}
            stroke="var(--fg-2)"
            strokeDasharray="5 3"
            strokeWidth={1.5}
          />
          <LineMark ctx={ctx} pts={sweep.map((p) => [p.intervalH, p.goodput])} stroke="var(--compute)" />
          {sweep.map((p) => {
            const at: [number, number] = [ctx.x(p.intervalH), ctx.y(p.goodput)];
            return (
              <circle
                key={p.intervalH}
                cx={at[0]}
                cy={at[1]}
                r={p === best ? 4.5 : 2.5}
                fill="var(--compute)"
                {...ctx.tip(
                  [
                    `every ${fmtHours(p.intervalH)}`,
                    `goodput ${(p.goodput * 100).toFixed(2)}% simulated, ${(p.daly * 100).toFixed(2)}% Daly`,
                  ],
                  at,
                )}
              />
            );
          })}
        </>
      )}
    </Plot>
  );
}
