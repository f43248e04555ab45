import { axisBottom, axisLeft, axisTop, select, type AxisDomain, type AxisScale } from 'd3';
import { useLayoutEffect, useRef } from 'react';

interface Props<D extends AxisDomain> {
  orient: 'bottom' | 'left' | 'top';
  scale: AxisScale<D>;
  /** The tick values to draw (already thinned to fit; see layout.thinTicks). */
  values: readonly D[];
  format(v: D): string;
  /** Grid lines across the plot of this length (px); 0 draws plain ticks. */
  grid?: number;
  /** Hide the domain line (band axes: the rows are their own guide). */
  noLine?: boolean;
  transform?: string;
  className?: string;
}

/**
 * A typed wrapper of d3-axis: React owns the <g>, d3 draws its ticks into it after each render.
 * d3's own font attributes are removed so the chart's CSS (11 px at least) sets the text.
 */
export function Axis<D extends AxisDomain>({
  orient,
  scale,
  values,
  format,
  grid = 0,
  noLine,
  transform,
  className,
}: Props<D>) {
  const ref = useRef<SVGGElement>(null);
  useLayoutEffect(() => {
    if (!ref.current) return;
    const make = orient === 'bottom' ? axisBottom : orient === 'top' ? axisTop : axisLeft;
    const axis = make(scale)
      .tickValues([...values])
      .tickFormat((v) => format(v as D))
      .tickSizeOuter(0)
      .tickSizeInner(grid ? -grid : 4)
      .tickPadding(grid ? 6 : 3);
    const g = select(ref.current);
    g.call(axis).attr('font-size', null).attr('font-family', null);
    if (noLine) g.select('.domain').remove();
  });
  return (
    <g
      ref={ref}
      className={`axis axis-${orient}${grid ? ' axis-grid' : ''}${className ? ` ${className}` : ''}`}
      transform={transform}
    />
  );
}
