import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Axis } from './Axis';
import { Legend, type LegendItem } from './Legend';
import { Tooltip, type TipState } from './Tooltip';
import { DataTable, type TableSpec } from './DataTable';
import { FONT_PX, LINE_PX, legendLayout, textWidth, thinTicks } from './layout';
import { makeScale, type Scale, type ScaleSpec } from './scales';
import { useWidth } from './useWidth';
import './charts.css';

export type AxisSpec = ScaleSpec & {
  /** The axis title; log scales should say so ("… (log scale)"). */
  label?: string;
  /** Tick label text; the default prints the value. */
  format?(v: number | string): string;
  /** Grid lines across the plot at the ticks. */
  grid?: boolean;
  /** No axis drawn (the chart labels this direction itself, e.g. heatmap cells). */
  hide?: boolean;
};

/** What a chart's marks get: the scales, the plot area, and the shared tooltip. */
export interface PlotContext {
  x: Scale;
  y: Scale;
  /** The plot area in SVG pixels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Where labels outside the plot must stop: the SVG's full width, less a legend at the right. */
  width: number;
  /**
   * Props for a focusable mark (a point, a bar) that shows `lines` in the tooltip on hover and on
   * keyboard focus, and is named by them for a screen reader.
   */
  tip(lines: string[], at: [number, number]): TipProps;
}

export interface TipProps {
  tabIndex: 0;
  role: 'img';
  'aria-label': string;
  onMouseEnter(): void;
  onMouseLeave(): void;
  onFocus(): void;
  onBlur(): void;
}

interface Props {
  /** The class of the <svg> (tests and lab CSS select it). */
  className?: string;
  /** What the chart shows, for a screen reader. */
  ariaLabel: string;
  /** Height of the plot area alone, in px; axes and legend add to it. */
  height: number;
  x: AxisSpec;
  y: AxisSpec;
  legend?: LegendItem[];
  /** Extra room around the plot (end labels at the right, a note at the top). */
  pad?: Partial<{ top: number; right: number; bottom: number; left: number }>;
  /**
   * True when marks are focusable (tooltips): the chart is then a role="group" of named points, not
   * one role="img" that a screen reader would treat as a single picture.
   */
  interactive?: boolean;
  /** Id of a table elsewhere on the page that lists the same numbers. */
  describedBy?: string;
  /** Or a table of the numbers, shown under the chart behind a disclosure. */
  table?: TableSpec;
  /** Class of the tooltip box, beside the kit's own (the roofline tests select theirs). */
  tooltipClass?: string;
  testId?: string;
  /** Width before the container is measured (and in Node). */
  fallbackWidth?: number;
  /** Widest the chart gets (a heatmap's cells stay near square on a wide screen). */
  maxWidth?: number;
  /**
   * Plot-area height on a narrow screen (a phone, under 560 px): a shorter aspect, with fewer ticks,
   * so the chart and a control share a phone's first screen. Continuous axes only; defaults to `height`.
   */
  compactHeight?: number;
  children(ctx: PlotContext): ReactNode;
}

const fmtDefault = (v: number | string) => (typeof v === 'number' ? String(+v.toPrecision(6)) : v);

/**
 * The plot frame every chart stands in: measures its container, sizes the margins from the real
 * tick labels (so no label is cut by the frame), draws the axes with d3-axis, thins ticks that would
 * collide, places the legend where it cannot cover the plot, and owns the one tooltip.
 */
export function Plot({
  className,
  ariaLabel,
  height: fullHeight,
  x: xs,
  y: ys,
  legend = [],
  pad = {},
  interactive,
  describedBy,
  table,
  tooltipClass,
  testId,
  fallbackWidth,
  maxWidth = Infinity,
  compactHeight,
  children,
}: Props) {
  const [ref, measured] = useWidth<HTMLDivElement>(fallbackWidth);
  const width = Math.min(measured, maxWidth);
  const height = compactHeight !== undefined && width < 560 ? Math.min(fullHeight, compactHeight) : fullHeight;
  const [tip, setTip] = useState<TipState | null>(null);
  const hide = useCallback(() => setTip(null), []);

  const frame = useMemo(() => {
    // A y title longer than the plot is tall would be cut if rotated: it goes above the plot instead.
    const yTitleAbove = Boolean(ys.label && !ys.hide && textWidth(ys.label, 12) > height - 4);
    const top = 8 + (pad.top ?? 0) + (yTitleAbove ? LINE_PX + 4 : 0);
    const fx = xs.format ?? fmtDefault;
    const fy = ys.format ?? fmtDefault;
    // Row names above their bars when at the left they would take too much of a narrow chart.
    const inline =
      ys.type === 'band' &&
      Boolean(ys.inline) &&
      Math.max(0, ...ys.domain.map((v) => textWidth(fy(String(v))))) > width * 0.3;
    const rowGap = inline ? LINE_PX + 4 : 0;
    const bottomY = top + height + (inline ? rowGap * ys.domain.length : 0);
    // The y axis first: its range does not depend on the left margin, and its labels set it.
    const y = makeScale(ys, ys.type === 'band' ? [top, bottomY] : [bottomY, top], rowGap);
    const yTicks =
      ys.hide || inline
        ? []
        : thinTicks(
            y.candidates(Math.max(2, Math.floor(height / 40))),
            (t) => y(t),
            () => LINE_PX,
            2,
          );
    const yLabelW = Math.max(0, ...yTicks.map((t) => textWidth(fy(t))));
    const leftAxis =
      (ys.hide || inline ? 8 : yLabelW + 10) +
      (ys.label && !ys.hide && !yTitleAbove ? LINE_PX + 6 : 0) +
      (pad.left ?? 0);
    let left = leftAxis;
    const lay = legendLayout(legend, width - 16);
    const legendRight = lay.placement === 'right' ? lay.width + 16 : 0;
    // Half of the widest x label may hang past the last tick: keep that inside the frame.
    const probe = makeScale(xs, [left, width - 12 - legendRight]);
    const probeTicks = xs.hide ? [] : probe.candidates(Math.max(2, Math.floor((width - left) / 80)));
    // Half of the first x label may hang left of its tick: widen the left margin to hold it.
    left = Math.max(left, ...probeTicks.map((t) => textWidth(fx(t)) / 2 + 2 - (probe(t) - left)));
    // The margin that keeps half of each label inside the frame, given how far its tick sits from the plot's right end.
    const probeRight = width - 12 - legendRight;
    const hang = Math.max(0, ...probeTicks.map((t) => textWidth(fx(t)) / 2 + 2 - (probeRight - probe(t))));
    const right = width - Math.max(8, hang, pad.right ?? 0) - legendRight;
    const x = makeScale(xs, [left, right]);
    const xTicks = xs.hide
      ? []
      : thinTicks(
          x.candidates(Math.max(2, Math.floor((right - left) / 80))),
          (t) => x(t),
          (t) => textWidth(fx(t)),
          8,
        );
    // The lowest y label and the first x label meet at the corner: where the x label reaches in under
    // the y labels, the y label at the very bottom gives way (the next ones up still read the scale).
    const firstX = xTicks[0];
    const corner = firstX !== undefined && x(firstX) - textWidth(fx(firstX)) / 2 < left - 4;
    const yShown = corner && ys.type !== 'band' ? yTicks.filter((t) => y(t) < bottomY - LINE_PX / 2 - 2) : yTicks;
    const axisH = xs.hide ? 0 : LINE_PX + 8;
    const xLabelY = bottomY + axisH + (xs.label ? LINE_PX : 0);
    const legendY = lay.placement === 'below' ? xLabelY + 10 + (pad.bottom ?? 0) : top;
    const total = lay.placement === 'below' && legend.length ? legendY + lay.height : xLabelY + 6 + (pad.bottom ?? 0);
    return {
      inline,
      yTitleAbove,
      x,
      y,
      xTicks,
      yTicks: yShown,
      left,
      right,
      top,
      bottom: bottomY,
      lay,
      legendRight,
      xLabelY,
      legendY,
      total,
      fx,
      fy,
    };
  }, [xs, ys, height, width, legend, pad.top, pad.right, pad.bottom, pad.left]);

  const { x, y, left, right, top, bottom, lay, total } = frame;
  const ctx: PlotContext = {
    x,
    y,
    left,
    right,
    top,
    bottom,
    width: width - frame.legendRight,
    tip: (lines, at) => {
      focusable = true;
      return {
        tabIndex: 0,
        role: 'img',
        'aria-label': lines.join('; '),
        onMouseEnter: () => setTip({ lines, x: at[0], y: at[1] }),
        onMouseLeave: hide,
        onFocus: () => setTip({ lines, x: at[0], y: at[1] }),
        onBlur: hide,
      };
    },
  };
  // Marks are drawn first so the role can follow them: focusable marks make the chart a group.
  let focusable = false;
  const marks = children(ctx);

  return (
    <div className="plot" ref={ref} data-testid={testId}>
      <svg
        className={`chart${className ? ` ${className}` : ''}`}
        width={width}
        height={total}
        viewBox={`0 0 ${width} ${total}`}
        role={interactive || focusable ? 'group' : 'img'}
        aria-label={ariaLabel}
        aria-describedby={describedBy}
        fontSize={FONT_PX}
      >
        {frame.inline && ys.type === 'band'
          ? ys.domain.map((v) => (
              <text key={String(v)} className="row-label" x={left} y={y(v) - 5}>
                {frame.fy(String(v))}
              </text>
            ))
          : null}
        {!ys.hide && !frame.inline ? (
          <Axis
            orient="left"
            scale={y.axis}
            values={frame.yTicks}
            format={frame.fy}
            grid={ys.grid ? right - left : 0}
            noLine={ys.type === 'band'}
            transform={`translate(${left},0)`}
          />
        ) : null}
        {!xs.hide ? (
          <Axis
            orient="bottom"
            scale={x.axis}
            values={frame.xTicks}
            format={frame.fx}
            grid={xs.grid ? bottom - top : 0}
            transform={`translate(0,${bottom})`}
          />
        ) : null}
        {xs.label ? (
          <text className="axis-label" x={(left + right) / 2} y={frame.xLabelY} textAnchor="middle">
            {xs.label}
          </text>
        ) : null}
        {ys.label && !ys.hide ? (
          frame.yTitleAbove ? (
            <text className="axis-label" x={4} y={top - 12}>
              {ys.label}
            </text>
          ) : (
            <text
              className="axis-label"
              transform={`translate(${LINE_PX - 2},${(top + bottom) / 2}) rotate(-90)`}
              textAnchor="middle"
            >
              {ys.label}
            </text>
          )
        ) : null}
        {marks}
        {legend.length ? (
          <Legend
            items={legend}
            layout={lay}
            transform={lay.placement === 'right' ? `translate(${right + 16},${top})` : `translate(8,${frame.legendY})`}
          />
        ) : null}
        {tip ? <Tooltip {...tip} width={width} height={total} className={tooltipClass} /> : null}
      </svg>
      {table ? <DataTable {...table} /> : null}
    </div>
  );
}
