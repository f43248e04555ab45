import type { ShardPlan } from '../../data/shard';
import { fmtCount } from '../../ui/format';
import { useWidth } from '../../charts/useWidth';

const LEFT = 64;
/** Room right of the cells for "12,345 rows". */
const RIGHT = 110;

/** Row groups (columns of cells) by the rank that reads them (rows of the grid). */
export function ShardGrid({ plan, groupRows }: { plan: ShardPlan; groupRows: number[] }) {
  // Laid out for the measured width and drawn 1:1: its 11-12 px labels are never scaled down. When even
  // the smallest cells do not fit (many row groups on a phone), the grid scrolls sideways in its box.
  const [ref, width] = useWidth<HTMLDivElement>(720, 240);
  const shown = Math.min(plan.groups, 64);
  const left = LEFT;
  const cell = Math.max(6, Math.min(28, Math.floor((Math.min(width, 720) - left - RIGHT) / Math.max(1, shown))));
  const W = left + shown * cell + RIGHT;
  // Group numbers every 4th when the cells are narrower than a two-digit label.
  const every = cell >= 16 || shown <= 9 ? 1 : Math.ceil(18 / cell);
  const ranksShown = Math.min(plan.ranks, 16);
  const H = ranksShown * (cell + 3) + 22;
  const max = Math.max(...plan.rowsByRank);
  return (
    <div className="df-scroll" ref={ref}>
      <svg
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        className="chart df-shards"
        role="img"
        aria-label={`Row groups assigned to ${plan.ranks} ranks`}
      >
        {Array.from({ length: shown }, (_, g) => (
          <text key={g} x={left + g * cell + cell / 2} y={10} textAnchor="middle" className="df-tick">
            {g % every === 0 ? g : ''}
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
