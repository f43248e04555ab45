import { key } from '../../charts/Legend';
import { BarLabel, HBar, RuleX } from '../../charts/marks';
import { fitLabel } from '../../charts/layout';
import { Plot } from '../../charts/Plot';
import type { MemoryBreakdown, Strategy } from '../../sim/cluster';
import { MEMORY_KINDS, STRATEGY_LABEL, fmtGB } from './labels';

interface Props {
  rows: { strategy: Strategy; m: MemoryBreakdown }[];
  capacityGB: number;
  gpuName: string;
}

const LEGEND = MEMORY_KINDS.map((k) => key.box(k.label, k.color));

/** One stacked bar per data-parallel strategy (the chosen one first) against the GPU's memory. */
export function MemoryBars({ rows, capacityGB, gpuName }: Props) {
  const top = Math.max(
    capacityGB * 1.15,
    ...rows.map((r) => (r.m.total / 1e9) * (r.m.total / 1e9 > capacityGB ? 1.05 : 1.2)),
  );
  const names = rows.map((r) => STRATEGY_LABEL[r.strategy]);
  const capLabel = `${gpuName}: ${capacityGB} GB`;
  return (
    <Plot
      className="cluster-chart"
      ariaLabel={`Memory per GPU for each strategy against ${gpuName}'s ${capacityGB} GB`}
      height={rows.length * 32}
      interactive
      legend={LEGEND}
      pad={{ top: 16 }}
      x={{
        type: 'linear',
        domain: [0, top],
        nice: true,
        label: 'memory per GPU',
        format: (v) => `${v} GB`,
        grid: true,
      }}
      y={{ type: 'band', domain: names, padding: 0.25, inline: true }}
    >
      {(ctx) => {
        const cap = ctx.x(capacityGB);
        const capText = fitLabel(cap, capLabel, 2, ctx.width - 2, 12);
        return (
          <>
            {rows.map((r, i) => {
              const y0 = ctx.y(names[i]);
              const over = r.m.total / 1e9 > capacityGB;
              let acc = 0;
              return (
                <g key={r.strategy} data-strategy={r.strategy}>
                  {MEMORY_KINDS.map((k) => {
                    const from = acc;
                    acc += r.m[k.key] / 1e9;
                    return acc > from ? (
                      <HBar
                        key={k.key}
                        ctx={ctx}
                        row={names[i]}
                        from={from}
                        to={acc}
                        fill={k.color}
                        opacity={i === 0 ? 1 : 0.75}
                        tip={[`${names[i]}: ${k.label}`, fmtGB(r.m[k.key])]}
                      />
                    ) : null;
                  })}
                  {over ? (
                    <rect
                      x={ctx.left}
                      y={y0}
                      width={ctx.x(acc) - ctx.left}
                      height={ctx.y.bandwidth}
                      fill="none"
                      stroke="var(--error)"
                      strokeWidth={2}
                    />
                  ) : null}
                  <BarLabel
                    ctx={ctx}
                    end={ctx.x(acc)}
                    y={y0 + ctx.y.bandwidth / 2}
                    text={`${fmtGB(r.m.total)}${over ? ' · out of memory' : ''}`}
                    className={over ? 'cluster-value oom' : 'cluster-value'}
                  />
                </g>
              );
            })}
            <RuleX ctx={ctx} at={capacityGB} stroke="var(--fg)" dash="5 3" />
            <text x={capText.x} y={ctx.top - 6} textAnchor={capText.anchor} className="cluster-label">
              {capLabel}
            </text>
          </>
        );
      }}
    </Plot>
  );
}
