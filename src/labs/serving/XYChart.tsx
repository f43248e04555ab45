import { scaleLinear, scaleLog } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';

export interface Series {
  label: string;
  /** CSS class giving the stroke colour (serving.css). */
  className: string;
  xs: number[];
  ys: number[];
  dashed?: boolean;
  /** Draw dots at the points (sweeps) as well as the line. */
  dots?: boolean;
}

interface Props {
  series: Series[];
  xLabel: string;
  yLabel: string;
  xFormat(v: number): string;
  yFormat(v: number): string;
  logY?: boolean;
  /** A horizontal threshold (SLO, alert) drawn dashed with its label. */
  hline?: { y: number; label: string };
  /** A vertical marker (the knee, the surge) with its label. */
  vline?: { x: number; label: string; className?: string };
  /** A shaded x range (the surge window). */
  band?: { x0: number; x1: number; label: string };
  /** Points where something happened (alerts), drawn as triangles on the x axis. */
  marks?: { x: number; label: string }[];
  yMin?: number;
  yMax?: number;
  height?: number;
  ariaLabel: string;
  testId?: string;
}

/** Drawing width follows the container, so text keeps its size on a phone instead of shrinking with the chart. */
const DEFAULT_W = 560;
const MIN_W = 300;
const M = { l: 56, r: 14, t: 14, b: 36 };

/** A small line chart: d3 computes scales, React draws the SVG. NaN values break the line. */
export function XYChart({ series, xLabel, yLabel, xFormat, yFormat, logY, hline, vline, band, marks, yMin, yMax, height = 220, ariaLabel, testId }: Props) {
  const H = height;
  const box = useRef<HTMLDivElement>(null);
  const [W, setW] = useState(DEFAULT_W);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => {
      const w = Math.max(MIN_W, Math.round(e.contentRect.width));
      if (w > 0) setW((old) => (Math.abs(old - w) > 4 ? w : old));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const { x, y, paths, xTicks, yTicks } = useMemo(() => {
    const xs = series.flatMap((s) => s.xs);
    const ys = series.flatMap((s) => s.ys).filter((v) => Number.isFinite(v) && (!logY || v > 0));
    if (hline && Number.isFinite(hline.y)) ys.push(hline.y);
    const x0 = xs.length ? Math.min(...xs, band?.x0 ?? Infinity) : 0;
    const x1 = xs.length ? Math.max(...xs, band?.x1 ?? -Infinity) : 1;
    let lo = yMin ?? (logY ? Math.min(...ys) : 0);
    let hi = yMax ?? (ys.length ? Math.max(...ys) : 1);
    if (!Number.isFinite(lo) || lo <= 0) lo = logY ? 1e-3 : 0;
    if (!(hi > lo)) hi = lo + (logY ? lo * 10 : 1);
    const x = scaleLinear()
      .domain([x0, x1 > x0 ? x1 : x0 + 1])
      .range([M.l, W - M.r]);
    const y = (
      logY
        ? scaleLog().domain([lo * 0.8, hi * 1.25])
        : scaleLinear()
            .domain([lo, hi * 1.08])
            .nice()
    ).range([H - M.b, M.t]);
    const paths = series.map((s) => {
      let d = '';
      let pen = false;
      s.xs.forEach((xv, i) => {
        const yv = s.ys[i];
        if (!Number.isFinite(yv) || (logY && yv <= 0)) {
          pen = false;
          return;
        }
        d += `${pen ? 'L' : 'M'}${x(xv).toFixed(1)},${y(yv).toFixed(1)}`;
        pen = true;
      });
      return d;
    });
    // Log axes: label 1-2-5 steps, or only powers of ten when that is still too many.
    let yTicks = y.ticks(5);
    if (logY) {
      const lead = (t: number) => Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
      yTicks = yTicks.filter((t) => [1, 2, 5].includes(lead(t)));
      if (yTicks.length > 7) yTicks = yTicks.filter((t) => lead(t) === 1);
    }
    return { x, y, paths, xTicks: x.ticks(W < 420 ? 4 : 6), yTicks };
  }, [series, logY, hline, band, yMin, yMax, H, W]);
  return (
    <div className="srv-chart" data-testid={testId} ref={box}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={ariaLabel} preserveAspectRatio="xMidYMid meet">
        {band ? (
          <g>
            <rect x={x(band.x0)} y={M.t} width={Math.max(0, x(band.x1) - x(band.x0))} height={H - M.b - M.t} className="srv-band" />
            <text x={(x(band.x0) + x(band.x1)) / 2} y={M.t + 11} textAnchor="middle" className="srv-band-label">
              {band.label}
            </text>
          </g>
        ) : null}
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="srv-grid" />
            <text x={M.l - 6} y={y(t)} dy="0.32em" textAnchor="end" className="srv-tick">
              {yFormat(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - M.b + 14} textAnchor="middle" className="srv-tick">
            {xFormat(t)}
          </text>
        ))}
        <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} className="srv-axis" />
        <text x={(M.l + W - M.r) / 2} y={H - 4} textAnchor="middle" className="srv-axis-label">
          {xLabel}
        </text>
        <text transform={`translate(12 ${(M.t + H - M.b) / 2}) rotate(-90)`} textAnchor="middle" className="srv-axis-label">
          {yLabel}
          {logY ? ' (log scale)' : ''}
        </text>
        {hline && Number.isFinite(hline.y) ? (
          <g>
            <line x1={M.l} x2={W - M.r} y1={y(hline.y)} y2={y(hline.y)} className="srv-threshold" />
            <text x={M.l + 4} y={y(hline.y) - 4} textAnchor="start" className="srv-threshold-label">
              {hline.label}
            </text>
          </g>
        ) : null}
        {paths.map((d, i) => (
          <path key={series[i].label} d={d} className={`srv-line ${series[i].className}`} strokeDasharray={series[i].dashed ? '5 4' : undefined} />
        ))}
        {series.map((s) =>
          s.dots
            ? s.xs.map((xv, i) =>
                Number.isFinite(s.ys[i]) && (!logY || s.ys[i] > 0) ? (
                  <circle key={`${s.label}${i}`} cx={x(xv)} cy={y(s.ys[i])} r={2.6} className={`srv-dot ${s.className}`} />
                ) : null,
              )
            : null,
        )}
        {vline ? (
          <g data-testid={testId ? `${testId}-marker` : undefined}>
            <line x1={x(vline.x)} x2={x(vline.x)} y1={M.t} y2={H - M.b} className={vline.className ?? 'srv-knee'} />
            <text x={x(vline.x) + (x(vline.x) > W * 0.7 ? -4 : 4)} y={M.t + 24} textAnchor={x(vline.x) > W * 0.7 ? 'end' : 'start'} className="srv-knee-label">
              {vline.label}
            </text>
          </g>
        ) : null}
        {marks?.map((m, i) => (
          <path key={i} d={`M${x(m.x)},${H - M.b - 1}l-4,-7h8z`} className="srv-alert-mark">
            <title>{m.label}</title>
          </path>
        ))}
      </svg>
      <ul className="srv-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.label}>
            <span className={`srv-swatch ${s.className}`} style={s.dashed ? { borderTopStyle: 'dashed' } : undefined} />
            {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
