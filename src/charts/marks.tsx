import { area, curveStepAfter, line } from 'd3';
import type { SVGProps } from 'react';
import { spreadLabels as spreadPositions } from './labels';
import { sideLabel, textWidth } from './layout';
import type { PlotContext } from './Plot';
/** Data value to pixel: a kit Scale or any function of a number. */
type Pos = (v: number) => number;

/** Points with a non-finite coordinate break the line instead of dropping to zero. */
const finite = (p: readonly [number, number]) => Number.isFinite(p[0]) && Number.isFinite(p[1]);

/** An SVG path through points, in data units; gaps where a value is NaN (or ≤ 0 on a log axis). */
export function linePath(pts: readonly (readonly [number, number])[], x: Pos, y: Pos, step = false): string {
  const gen = line<readonly [number, number]>()
    .defined((p) => finite(p) && Number.isFinite(x(p[0])) && Number.isFinite(y(p[1])))
    .x((p) => x(p[0]))
    .y((p) => y(p[1]));
  if (step) gen.curve(curveStepAfter);
  return gen(pts) ?? '';
}

/** The area between a baseline value and the points (a queue's depth over time), step-shaped if `step`. */
export function areaPath(
  pts: readonly (readonly [number, number])[],
  x: Pos,
  y: Pos,
  base: number,
  step = false,
): string {
  const gen = area<readonly [number, number]>()
    .defined(finite)
    .x((p) => x(p[0]))
    .y0(y(base))
    .y1((p) => y(p[1]));
  if (step) gen.curve(curveStepAfter);
  return gen(pts) ?? '';
}

type PathProps = Omit<SVGProps<SVGPathElement>, 'd'>;

/** A data line. */
export function LineMark({
  pts,
  ctx,
  step,
  ...rest
}: { pts: readonly (readonly [number, number])[]; ctx: PlotContext; step?: boolean } & PathProps) {
  return (
    <path
      d={linePath(pts, ctx.x, ctx.y, step)}
      fill="none"
      strokeWidth={2}
      {...rest}
      style={{ fill: 'none', ...rest.style }}
    />
  );
}

/**
 * A vertical marker across the plot at data value `at`, with its label kept inside the plot (to
 * the right of the line, or to the left near the right edge).
 */
export function RuleX({
  ctx,
  at,
  label,
  labelY,
  className,
  stroke,
  dash,
  testId,
}: {
  ctx: PlotContext;
  at: number;
  label?: string;
  labelY?: number;
  className?: string;
  stroke?: string;
  dash?: string;
  testId?: string;
}) {
  const px = ctx.x(at);
  if (!Number.isFinite(px) || px < ctx.left - 0.5 || px > ctx.right + 0.5) return null;
  const l = label ? sideLabel(px, label, ctx.left, ctx.right) : null;
  return (
    <g className={className} data-testid={testId}>
      <line x1={px} x2={px} y1={ctx.top} y2={ctx.bottom} stroke={stroke} strokeDasharray={dash} strokeWidth={1.5} />
      {l ? (
        <text x={l.x} y={labelY ?? ctx.top + 12} textAnchor={l.anchor} className="mark-label">
          {label}
        </text>
      ) : null}
    </g>
  );
}

/** A horizontal threshold at data value `at` with its label above the line at the left of the plot. */
export function RuleY({
  ctx,
  at,
  label,
  className,
  stroke,
  dash,
  labelAt = 'left',
}: {
  ctx: PlotContext;
  at: number;
  label?: string;
  className?: string;
  stroke?: string;
  dash?: string;
  labelAt?: 'left' | 'right';
}) {
  const py = ctx.y(at);
  if (!Number.isFinite(py) || py < ctx.top - 0.5 || py > ctx.bottom + 0.5) return null;
  return (
    <g className={className}>
      <line x1={ctx.left} x2={ctx.right} y1={py} y2={py} stroke={stroke} strokeDasharray={dash} strokeWidth={1.5} />
      {label ? (
        <text
          x={labelAt === 'left' ? ctx.left + 4 : ctx.right - 4}
          y={py < ctx.top + 14 ? py + 13 : py - 4}
          textAnchor={labelAt === 'left' ? 'start' : 'end'}
          className="mark-label"
          fill={stroke}
        >
          {label}
        </text>
      ) : null}
    </g>
  );
}

/**
 * Labels at the right end of lines, moved apart vertically so none overlaps another (at least one
 * text line apart), drawn in the room the plot leaves at its right (pad.right).
 */
export function EndLabels({ ctx, items }: { ctx: PlotContext; items: { y: number; label: string; color: string }[] }) {
  const order = items.map((it, i) => ({ ...it, i })).filter((it) => Number.isFinite(it.y));
  const placed = spreadPositions(
    order.map((it) => it.y + 4),
    13,
    ctx.top + 10,
    ctx.bottom + 4,
  );
  return (
    <g className="end-labels">
      {order.map((it, k) => (
        <text key={it.label} x={ctx.right + 6} y={placed[k]} fill={it.color} className="mark-label">
          {it.label}
        </text>
      ))}
    </g>
  );
}

/**
 * A value written at the end of a horizontal bar: just after it when it fits before the SVG's
 * right edge, else inside the bar's end (class `inside`), so it is never cut by the frame.
 */
export function BarLabel({
  ctx,
  end,
  y,
  text,
  className,
}: {
  ctx: PlotContext;
  end: number;
  y: number;
  text: string;
  className?: string;
}) {
  const outside = end + 4 + textWidth(text) <= ctx.width - 2;
  return (
    <text
      x={outside ? end + 4 : end - 4}
      y={y}
      dy="0.35em"
      textAnchor={outside ? 'start' : 'end'}
      className={`mark-label${outside ? '' : ' inside'}${className ? ` ${className}` : ''}`}
    >
      {text}
    </text>
  );
}

/**
 * A horizontal bar in band row `row`, from `from` (default: the plot's left edge) to data value
 * `to`, at least 1 px long; `label` is written at its end (see BarLabel) and `tip` makes it a
 * focusable, named mark with the shared tooltip.
 */
export function HBar({
  ctx,
  row,
  to,
  from,
  label,
  tip,
  labelClass,
  ...rest
}: {
  ctx: PlotContext;
  row: string;
  to: number;
  from?: number;
  label?: string;
  tip?: string[];
  labelClass?: string;
} & Omit<SVGProps<SVGRectElement>, 'x' | 'y' | 'width' | 'height' | 'from' | 'to'>) {
  const y0 = ctx.y(row);
  const x0 = from === undefined ? ctx.left : ctx.x(from);
  const end = Math.max(x0 + 1, ctx.x(to));
  return (
    <>
      <rect
        x={x0}
        y={y0}
        width={end - x0}
        height={ctx.y.bandwidth}
        {...rest}
        {...(tip ? ctx.tip(tip, [end, y0]) : {})}
      />
      {label ? <BarLabel ctx={ctx} end={end} y={y0 + ctx.y.bandwidth / 2} text={label} className={labelClass} /> : null}
    </>
  );
}
