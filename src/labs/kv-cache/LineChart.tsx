import { extent, line, scaleLinear } from 'd3';
import { useMemo } from 'react';

export interface Line {
  label: string;
  className: string;
  xs: number[];
  ys: number[];
  dashed?: boolean;
}

interface Props {
  lines: Line[];
  xLabel: string;
  yLabel: string;
  yFormat(v: number): string;
  xFormat?(v: number): string;
  /** Fixed y range (e.g. 0..1 for shares); otherwise 0..max. */
  yMax?: number;
  /** Vertical marker at this x (the animation's position). */
  cursorX?: number;
  ariaLabel: string;
}

const W = 520;
const H = 200;
const M = { l: 54, r: 12, t: 10, b: 34 };

/** A small multi-line chart: d3 computes scales and paths, React draws them. */
export function LineChart({ lines, xLabel, yLabel, yFormat, xFormat = (v) => String(Math.round(v)), yMax, cursorX, ariaLabel }: Props) {
  const { x, y, paths } = useMemo(() => {
    const xsAll = lines.flatMap((l) => l.xs);
    const [x0, x1] = (extent(xsAll) as [number, number]) ?? [0, 1];
    const top = yMax ?? Math.max(1e-9, ...lines.flatMap((l) => l.ys));
    const x = scaleLinear()
      .domain([x0 ?? 0, Math.max(x1 ?? 1, (x0 ?? 0) + 1e-9)])
      .range([M.l, W - M.r]);
    const y = scaleLinear()
      .domain([0, top])
      .range([H - M.b, M.t])
      .nice();
    const paths = lines.map((l) =>
      line<number>()
        .x((_, i) => x(l.xs[i]))
        .y((v) => y(v))(l.ys),
    );
    return { x, y, paths };
  }, [lines, yMax]);
  return (
    <svg className="chart kv-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={ariaLabel}>
      {y.ticks(4).map((t) => (
        <g key={t}>
          <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} stroke="var(--border)" />
          <text x={M.l - 6} y={y(t) + 4} textAnchor="end" className="muted kv-tick">
            {yFormat(t)}
          </text>
        </g>
      ))}
      {x.ticks(6).map((t) => (
        <text key={t} x={x(t)} y={H - M.b + 14} textAnchor="middle" className="muted kv-tick">
          {xFormat(t)}
        </text>
      ))}
      <text x={(M.l + W - M.r) / 2} y={H - 4} textAnchor="middle" className="muted kv-axis">
        {xLabel}
      </text>
      <text transform={`translate(12,${(M.t + H - M.b) / 2}) rotate(-90)`} textAnchor="middle" className="muted kv-axis">
        {yLabel}
      </text>
      {paths.map((d, i) => (
        <path key={lines[i].label} d={d ?? ''} fill="none" className={`kv-line ${lines[i].className}`} strokeDasharray={lines[i].dashed ? '5 3' : undefined} />
      ))}
      {cursorX !== undefined ? <line x1={x(cursorX)} x2={x(cursorX)} y1={M.t} y2={H - M.b} stroke="var(--fg-2)" strokeDasharray="2 2" /> : null}
      {lines.map((l, i) => (
        <g key={l.label} transform={`translate(${M.l + 8 + (i % 2) * 200},${M.t + 4 + Math.floor(i / 2) * 16})`}>
          <line x1={0} x2={18} y1={6} y2={6} className={`kv-line ${l.className}`} strokeDasharray={l.dashed ? '5 3' : undefined} />
          <text x={24} y={10} className="kv-legend">
            {l.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
