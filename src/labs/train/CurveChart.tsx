import { scaleLinear } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';

export interface Curve {
  label: string;
  /** CSS colour variable of the line (the shared palette). */
  color: string;
  xs: number[];
  ys: number[];
  dashed?: boolean;
}

interface Props {
  curves: Curve[];
  xLabel: string;
  yLabel: string;
  yFormat(v: number): string;
  /** A horizontal reference (ln V, 100 %), drawn dashed with its label. */
  hline?: { y: number; label: string };
  yMax?: number;
  /** The x range to lay out (the schedule's length), so the curve grows into a fixed frame. */
  xMax: number;
  ariaLabel: string;
  testId: string;
}

const M = { l: 48, r: 12, t: 12, b: 34 };
const H = 200;

/**
 * A small line chart for training curves (d3 scales, React SVG), in the lab's own file until the
 * shared chart kit lands. Its width follows the container so labels keep their size on a phone.
 */
export function CurveChart({ curves, xLabel, yLabel, yFormat, hline, yMax, xMax, ariaLabel, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [W, setW] = useState(520);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => {
      const w = Math.max(280, Math.round(e.contentRect.width));
      setW((old) => (Math.abs(old - w) > 4 ? w : old));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const { x, y, paths } = useMemo(() => {
    const ys = curves.flatMap((c) => c.ys).filter(Number.isFinite);
    const top = yMax ?? Math.max(hline?.y ?? 0, ...ys, 1e-6) * 1.05;
    const x = scaleLinear()
      .domain([0, Math.max(1, xMax)])
      .range([M.l, W - M.r]);
    const y = scaleLinear()
      .domain([0, top])
      .nice()
      .range([H - M.b, M.t]);
    const paths = curves.map((c) =>
      c.xs
        .map((xv, i) => `${i ? 'L' : 'M'}${x(xv).toFixed(1)},${y(Math.min(c.ys[i], y.domain()[1])).toFixed(1)}`)
        .join(''),
    );
    return { x, y, paths };
  }, [curves, W, hline, yMax, xMax]);
  return (
    <div ref={box} className="train-chart" data-testid={testId}>
      <svg width={W} height={H} role="img" aria-label={ariaLabel}>
        {y.ticks(4).map((t) => (
          <g key={t}>
            <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="train-grid" />
            <text x={M.l - 6} y={y(t)} dy="0.32em" textAnchor="end" className="train-tick">
              {yFormat(t)}
            </text>
          </g>
        ))}
        {x.ticks(5).map((t) => (
          <text key={t} x={x(t)} y={H - M.b + 14} textAnchor="middle" className="train-tick">
            {t}
          </text>
        ))}
        <text x={(M.l + W - M.r) / 2} y={H - 4} textAnchor="middle" className="train-axis-label">
          {xLabel}
        </text>
        <text
          transform={`translate(12 ${(M.t + H - M.b) / 2}) rotate(-90)`}
          textAnchor="middle"
          className="train-axis-label"
        >
          {yLabel}
        </text>
        {hline ? (
          <g>
            <line x1={M.l} x2={W - M.r} y1={y(hline.y)} y2={y(hline.y)} className="train-hline" />
            <text x={W - M.r - 4} y={y(hline.y) - 4} textAnchor="end" className="train-tick">
              {hline.label}
            </text>
          </g>
        ) : null}
        {paths.map((d, i) => (
          <path
            key={curves[i].label}
            d={d}
            fill="none"
            stroke={`var(${curves[i].color})`}
            strokeWidth={curves[i].dashed ? 2 : 1.5}
            strokeDasharray={curves[i].dashed ? '5 3' : undefined}
          />
        ))}
      </svg>
      <ul className="train-legend">
        {curves.map((c) => (
          <li key={c.label}>
            <span className="train-swatch" style={{ background: `var(${c.color})` }} /> {c.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
