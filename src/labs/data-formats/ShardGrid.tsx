import type { ShardPlan } from '../../data/shard';
import { fmtCount } from '../../ui/format';

/** Row groups (columns of cells) by the rank that reads them (rows of the grid). */
export function ShardGrid({ plan, groupRows }: { plan: ShardPlan; groupRows: number[] }) {
  const shown = Math.min(plan.groups, 64);
  const left = 64;
  const W = 720;
  const cell = Math.max(6, Math.min(28, Math.floor((W - left - 110) / Math.max(1, shown))));
  const ranksShown = Math.min(plan.ranks, 16);
  const H = ranksShown * (cell + 3) + 22;
  const max = Math.max(...plan.rowsByRank);
  return (
    <div className="df-scroll">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="chart df-shards"
        role="img"
        aria-label={`Row groups assigned to ${plan.ranks} ranks`}
      >
        {Array.from({ length: shown }, (_, g) => (
          <text key={g} x={left + g * cell + cell / 2} y={10} textAnchor="middle" className="df-tick">
            {shown <= 24 || g % 4 === 0 ? g : ''}
          </text>
        ))}
        {plan.byRank.slice(0, ranksShown).map((groups, r) => (
          <g key={r} transform={`translate(0,${16 + r * (cell + 3)})`}>
            <text x={left - 6} y={cell - 3} textAnchor="end" className="df-bar-label">
              rank {r}
            </text>
            {groups
              .filter((g) => g < shown)
              .map((g) => (
                <rect
                  key={g}
                  x={left + g * cell}
                  width={cell - 1}
                  height={cell}
                  className={plan.rowsByRank[r] < max ? 'df-shard-short' : 'df-shard'}
                >
                  <title>{`row group ${g} (${fmtCount(groupRows[g])} rows) → rank ${r}`}</title>
                </rect>
              ))}
            <text x={left + shown * cell + 6} y={cell - 3} className="df-bar-value">
              {fmtCount(plan.rowsByRank[r])} rows
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
