import { scaleBand, scaleLinear, scaleLog, type AxisScale } from 'd3';
import { logTicks } from './layout';

/** How an axis maps data to pixels: from data (domain), the kit adds the pixel range. */
export type ScaleSpec =
  | { type: 'linear'; domain: readonly [number, number]; nice?: boolean; ticks?: readonly number[] }
  | { type: 'log'; domain: readonly [number, number]; base?: number; ticks?: readonly number[] }
  | {
      type: 'band';
      domain: readonly (string | number)[];
      padding?: number;
      /**
       * Row names of a horizontal bar chart go above their bars (not at the left) where the names
       * would take more than 30 % of the width: the bars keep their length on a phone.
       */
      inline?: boolean;
    };

/** A scale the marks call with a data value; band scales also give their band width. */
export interface Scale {
  (v: number | string): number;
  /** Band width in px (0 for continuous scales). */
  bandwidth: number;
  /** The data domain (continuous scales; [0, 0] for bands). */
  lo: number;
  hi: number;
  /** The underlying d3 scale, for d3-axis. */
  axis: AxisScale<number | string>;
  /** Candidate tick values before thinning. */
  candidates(count: number): (number | string)[];
}

/** Builds a d3 scale from a spec and a pixel range; a degenerate domain is widened, never NaN. */
export function makeScale(spec: ScaleSpec, range: [number, number], gapAbove = 0): Scale {
  if (spec.type === 'band') {
    const keys = spec.domain.map(String);
    const s = scaleBand<string>().domain(keys);
    if (gapAbove > 0 && keys.length) {
      // Each band has `gapAbove` px free above it (for its name): inner padding of that size, none outside.
      const step = (range[1] - range[0]) / keys.length;
      s.range([range[0] + gapAbove, range[1]])
        .paddingInner(Math.min(0.9, gapAbove / step))
        .paddingOuter(0);
    } else s.range(range).padding(spec.padding ?? 0.1);
    const f = ((v: number | string) => s(String(v)) ?? NaN) as Scale;
    f.bandwidth = s.bandwidth();
    f.lo = 0;
    f.hi = 0;
    f.axis = s as unknown as AxisScale<number | string>;
    f.candidates = () => spec.domain.map(String);
    return f;
  }
  let [lo, hi] = spec.domain;
  if (spec.type === 'log') {
    if (!(lo > 0) || !Number.isFinite(lo)) lo = hi > 0 ? hi / 10 : 1;
    if (!(hi > lo) || !Number.isFinite(hi)) hi = lo * 10;
    const base = spec.base ?? 10;
    const s = scaleLog().base(base).domain([lo, hi]).range(range);
    const f = ((v: number | string) => s(Number(v))) as Scale;
    f.bandwidth = 0;
    f.lo = lo;
    f.hi = hi;
    f.axis = s as unknown as AxisScale<number | string>;
    f.candidates = () => [...(spec.ticks ?? logTicks(lo, hi, base))];
    return f;
  }
  if (!Number.isFinite(lo)) lo = 0;
  if (!Number.isFinite(hi) || !(hi > lo)) hi = lo + (lo === 0 ? 1 : Math.abs(lo));
  const s = scaleLinear().domain([lo, hi]).range(range);
  if (spec.nice) s.nice();
  const d = s.domain();
  const f = ((v: number | string) => s(Number(v))) as Scale;
  f.bandwidth = 0;
  f.lo = d[0];
  f.hi = d[1];
  f.axis = s as unknown as AxisScale<number | string>;
  f.candidates = (count) => [...(spec.ticks ?? s.ticks(count))];
  return f;
}
