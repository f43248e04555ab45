/**
 * The chart kit's pure geometry: text sizes, tick thinning, legend placement and label fitting.
 * No DOM, no React: the same numbers in Node tests and in the browser. Widths are estimates (no
 * canvas to measure with in Node), deliberately generous so an estimated fit really fits.
 */

/** Chart text never goes below this size: at narrow widths charts drop ticks instead (UI.md). */
export const FONT_PX = 11;
/** Height of one line of chart text at FONT_PX, with leading. */
export const LINE_PX = 14;

/**
 * Width of `text` at `px` in the chart's sans-serif: 0.6 em a character (system UI fonts and
 * DejaVu Sans average 0.5–0.6 em; digits are 0.55–0.64 em).
 */
export function textWidth(text: string, px = FONT_PX): number {
  return [...text].length * px * 0.6;
}

export interface Box {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * The tick values whose labels fit side by side along an axis: keeps every k-th tick (the smallest k
 * at which no two kept labels come closer than `gap`), so the kept ones stay evenly spaced.
 * `pos` gives each tick's pixel position and `size` each label's extent along the axis (its width
 * on a horizontal axis, one line height on a vertical one).
 */
export function thinTicks<T>(ticks: readonly T[], pos: (t: T) => number, size: (t: T) => number, gap = 6): T[] {
  if (ticks.length <= 1) return [...ticks];
  for (let k = 1; k <= ticks.length; k++) {
    const kept = ticks.filter((_, i) => i % k === 0);
    let ok = true;
    for (let i = 1; i < kept.length && ok; i++) {
      const a = kept[i - 1];
      const b = kept[i];
      const room = Math.abs(pos(b) - pos(a));
      ok = room >= (size(a) + size(b)) / 2 + gap;
    }
    if (ok) return kept;
  }
  return [ticks[0]];
}

/**
 * Ticks for a log scale: the powers of `base` inside [lo, hi]; when the domain spans less than two
 * of them, the 1-2-5 steps of each decade instead, so a narrow log axis still has labels.
 */
export function logTicks(lo: number, hi: number, base = 10): number[] {
  if (!(lo > 0) || !(hi >= lo)) return [];
  const lg = (v: number) => Math.log(v) / Math.log(base);
  const out: number[] = [];
  for (let e = Math.ceil(lg(lo) - 1e-9); e <= Math.floor(lg(hi) + 1e-9); e++) out.push(base ** e);
  if (out.length >= 2) return out;
  const steps: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) steps.push(v);
    }
  return steps.length ? steps : [lo];
}

export interface LegendEntry {
  label: string;
}

export interface LegendLayout {
  /** 'right': a column beside the plot; 'below': rows under the axis. */
  placement: 'right' | 'below';
  /** Each entry's top-left corner, relative to the legend's origin. */
  at: { x: number; y: number }[];
  width: number;
  height: number;
}

/** The swatch and the gap before its text. */
export const SWATCH_PX = 22;
const ITEM_GAP = 14;

/**
 * Where a legend goes so that it never covers the plot: a column at the right when the chart is
 * wide and the column takes at most a quarter of it; otherwise rows below the plot, entries
 * flowing left to right and wrapping at `width`. An entry wider than the whole width gets a row of
 * its own (its text may wrap in the caller; it is never drawn over another entry).
 */
export function legendLayout(entries: readonly LegendEntry[], width: number, allowRight = true): LegendLayout {
  if (!entries.length) return { placement: 'below', at: [], width: 0, height: 0 };
  const sizes = entries.map((e) => SWATCH_PX + textWidth(e.label));
  const column = Math.max(...sizes);
  if (allowRight && width >= 640 && column <= width / 4) {
    return {
      placement: 'right',
      at: entries.map((_, i) => ({ x: 0, y: i * LINE_PX + i * 4 })),
      width: column,
      height: entries.length * (LINE_PX + 4),
    };
  }
  const at: { x: number; y: number }[] = [];
  let x = 0;
  let row = 0;
  sizes.forEach((s) => {
    if (x > 0 && x + s > width) {
      x = 0;
      row++;
    }
    at.push({ x, y: row * (LINE_PX + 4) });
    x += s + ITEM_GAP;
  });
  return { placement: 'below', at, width, height: (row + 1) * (LINE_PX + 4) };
}

/**
 * A label anchored at `x` kept inside [lo, hi]: where it is, centred, if it fits; else pushed
 * against the nearer edge (start- or end-anchored), so the frame never cuts it.
 */
export function fitLabel(
  x: number,
  text: string,
  lo: number,
  hi: number,
  px = FONT_PX,
): { x: number; anchor: 'start' | 'middle' | 'end' } {
  const half = textWidth(text, px) / 2;
  if (x - half >= lo && x + half <= hi) return { x, anchor: 'middle' };
  if (x - half < lo) return { x: Math.max(lo, Math.min(x, hi)), anchor: 'start' };
  return { x: Math.min(hi, Math.max(x, lo)), anchor: 'end' };
}

/**
 * A label beside a point at `x`: to its right when it fits before `hi`, else to its left. Used for
 * marker labels (a vertical line's name) that must stay inside the plot.
 */
export function sideLabel(
  x: number,
  text: string,
  lo: number,
  hi: number,
  pad = 4,
  px = FONT_PX,
): { x: number; anchor: 'start' | 'end' } {
  const w = textWidth(text, px);
  if (x + pad + w <= hi) return { x: x + pad, anchor: 'start' };
  if (x - pad - w >= lo) return { x: x - pad, anchor: 'end' };
  return { x: hi, anchor: 'end' };
}

/**
 * Vertical positions for labels stacked at one edge (line-end labels, roof labels): each as near
 * its wish as the others allow, at least `gap` apart, inside [lo, hi]. See spreadLabels.
 */
export { spreadLabels } from './labels';

/**
 * Breaks `text` at spaces into lines no wider than `width` (a word longer than the width gets a
 * line of its own): for chart titles and notes that would otherwise run past the frame.
 */
export function wrapText(text: string, width: number, px = FONT_PX): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = cur ? `${cur} ${word}` : word;
    if (cur && textWidth(next, px) > width) {
      lines.push(cur);
      cur = word;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}
