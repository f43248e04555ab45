import { scaleLog } from 'd3';
import { useMemo } from 'react';
import { fmtBytes, fmtMs } from '../../ui/format';
import type { SweepPoint } from './run';

const W = 330;
const H = 200;
const M = { left: 62, right: 10, top: 10, bottom: 36 };

interface Series {
  key: 'standard' | 'tiled';
  label: string;
  colour: string;
  pts: [number, number][];
}

/** Powers of `base` inside the domain (at most five), or three points when it spans less than one step. */
function logTicks([lo, hi]: [number, number], base: number): number[] {
  const out: number[] = [];
  const lg = (v: number) => Math.log(v) / Math.log(base);
  for (let e = Math.ceil(lg(lo) - 1e-9); e <= Math.floor(lg(hi) + 1e-9); e++) out.push(base ** e);
  if (out.length < 2) return [lo * 1.2, Math.sqrt(lo * hi), hi / 1.2];
  const step = Math.ceil(out.length / 5);
  return out.filter((_, i) => i % step === 0);
}

function Panel({ title, series, fmt, xs, tickBase }: { title: string; series: Series[]; fmt(v: number): string; xs: number[]; tickBase: number }) {
  const scales = useMemo(() => {
    const ys = series.flatMap((s) => s.pts.map((p) => p[1])).filter((v) => v > 0);
    const x = scaleLog()
      .base(2)
      .domain([Math.min(...xs), Math.max(...xs) * 1.0001])
      .range([M.left, W - M.right]);
    const y = scaleLog()
      .domain([Math.min(...ys) / 1.5, Math.max(...ys) * 1.5])
      .range([H - M.bottom, M.top])
      .nice();
    return { x, y };
  }, [series, xs]);
  const { x, y } = scales;
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} against N, log-log; the results table lists the values`}>
      <text x={M.left + 4} y={M.top + 2} className="att-svg-note">
        {title} (log scale)
      </text>
      {logTicks(y.domain() as [number, number], tickBase).map((t) => (
        <g key={t}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeDasharray="2 3" />
          <text x={M.left - 4} y={y(t) + 4} textAnchor="end" className="muted att-tick">
            {fmt(t)}
          </text>
        </g>
      ))}
      {xs.map((n) => (
        <text key={n} x={x(n)} y={H - M.bottom + 14} textAnchor="middle" className="muted att-tick">
          {n}
        </text>
      ))}
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" className="att-svg-note">
        sequence length N (log₂ scale)
      </text>
      {series.map((s) => (
        <g key={s.key}>
          <path d={s.pts.map((p, i) => `${i ? 'L' : 'M'}${x(p[0])} ${y(p[1])}`).join('')} fill="none" stroke={s.colour} strokeWidth={2} />
          {s.pts.map((p) => (
            <circle key={p[0]} cx={x(p[0])} cy={y(p[1])} r={3.5} fill={s.colour}>
              <title>{`${s.label}, N = ${p[0]}: ${fmt(p[1])}`}</title>
            </circle>
          ))}
        </g>
      ))}
    </svg>
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
    { key: 'standard', label: 'standard', colour: 'var(--hbm)', pts: sweep.filter((p) => p.standardMs !== null).map((p) => [p.n, p.standardMs as number]) },
    { key: 'tiled', label: 'tiled', colour: 'var(--sram)', pts: sweep.map((p) => [p.n, p.tiledMs]) },
  ];
  const skipped = sweep.filter((p) => p.standardMs === null);
  return (
    <div>
      <div className="att-sweep">
        <Panel title="Global bytes moved" series={bytes} fmt={fmtBytes} xs={xs} tickBase={4} />
        <Panel title="Measured time" series={time} fmt={fmtMs} xs={xs} tickBase={10} />
      </div>
      <p className="att-small">
        <span className="hbm">■ standard</span> <span className="sram">■ tiled</span>
        {skipped.length ? (
          <span className="muted"> · standard did not run at N = {skipped.map((p) => p.n).join(', ')} (its N×N buffers do not fit).</span>
        ) : null}
      </p>
    </div>
  );
}
