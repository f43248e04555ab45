import { key } from '../../charts/Legend';
import { LineMark } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import { fmtBytes, fmtMs } from '../../ui/format';
import type { SweepPoint } from './run';

interface Series {
  key: 'standard' | 'tiled';
  label: string;
  colour: string;
  pts: [number, number][];
}

const LEGEND = [key.line('standard', 'var(--hbm)'), key.line('tiled', 'var(--sram)')];

/** One log-log panel: a quantity against N for both paths, points focusable with their values. */
function Panel({
  title,
  series,
  fmt,
  xs,
  tickBase,
}: {
  title: string;
  series: Series[];
  fmt(v: number): string;
  xs: number[];
  tickBase: number;
}) {
  const ys = series.flatMap((s) => s.pts.map((p) => p[1])).filter((v) => v > 0);
  return (
    <div className="att-sweep-panel">
      <Plot
        ariaLabel={`${title} against N, log-log; the results table lists the values`}
        height={150}
        interactive
        legend={LEGEND}
        x={{
          type: 'log',
          base: 2,
          domain: [Math.min(...xs), Math.max(...xs)],
          ticks: xs,
          label: 'sequence length N (log₂ scale)',
        }}
        y={{
          type: 'log',
          base: tickBase,
          domain: [Math.min(...ys) / 1.5, Math.max(...ys) * 1.5],
          label: `${title} (log scale)`,
          format: (v) => fmt(Number(v)),
          grid: true,
        }}
        fallbackWidth={360}
      >
        {(ctx) =>
          series.map((s) => (
            <g key={s.key}>
              <LineMark ctx={ctx} pts={s.pts} stroke={s.colour} />
              {s.pts.map((p) => {
                const at: [number, number] = [ctx.x(p[0]), ctx.y(p[1])];
                return (
                  <circle
                    key={p[0]}
                    cx={at[0]}
                    cy={at[1]}
                    r={3.5}
                    fill={s.colour}
                    {...ctx.tip([`${s.label}, N = ${p[0]}`, fmt(p[1])], at)}
                  />
                );
              })}
            </g>
          ))
        }
      </Plot>
    </div>
  );
}

/** Bytes moved (cost model) and measured time against N for both paths. */
export function SweepChart({ sweep }: { sweep: SweepPoint[] }) {
  const xs = sweep.map((p) => p.n);
  const bytes: Series[] = [
    { key: 'standard', label: 'standard', colour: 'var(--hbm)', pts: sweep.map((p) => [p.n, p.standardBytes]) },
    { key: 'tiled', label: 'tiled', colour: 'var(--sram)', pts: sweep.map((p) => [p.n, p.tiledBytes]) },
  ];
  const time: Series[] = [
    {
      key: 'standard',
      label: 'standard',
      colour: 'var(--hbm)',
      pts: sweep.filter((p) => p.standardMs !== null).map((p) => [p.n, p.standardMs as number]),
    },
    { key: 'tiled', label: 'tiled', colour: 'var(--sram)', pts: sweep.map((p) => [p.n, p.tiledMs]) },
  ];
  const skipped = sweep.filter((p) => p.standardMs === null);
  return (
    <div>
      <div className="att-sweep">
        <Panel title="Global bytes moved" series={bytes} fmt={fmtBytes} xs={xs} tickBase={4} />
        <Panel title="Measured time" series={time} fmt={fmtMs} xs={xs} tickBase={10} />
      </div>
      {skipped.length ? (
        <p className="att-small muted">
          Standard did not run at N = {skipped.map((p) => p.n).join(', ')} (its N×N buffers do not fit).
        </p>
      ) : null}
    </div>
  );
}
