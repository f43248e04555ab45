import type { NumberParam } from '../labkit/schema';

/**
 * The positions a log2 slider can take, anchored at the value it shows.
 *
 * A log slider over a fixed grid (min·2^k) cannot stand on a value off that grid: 2000 on a grid
 * from 100 is drawn at 1600 or 3200, the arrow keys jump 2000 → 3200 → 1600, and an int 3 is
 * drawn as 4. Anchoring the grid at the current value (v·2^k, plus both ends) keeps the thumb on
 * the value shown, and one step right then one step left returns to it. While dragging, every
 * value reached lies on the same grid, so re-anchoring at it does not move the positions.
 */
export function logGrid(spec: Pick<NumberParam, 'kind' | 'min' | 'max'>, value: number): number[] {
  const { min, max } = spec;
  const v = Number.isFinite(value) && value >= min && value <= max && value > 0 ? value : Math.max(min, 1);
  const out = new Set<number>([min, max, v]);
  const keep = (x: number) => {
    const y = spec.kind === 'int' ? Math.round(x) : x;
    if (y > min && y < max) out.add(y);
  };
  for (let x = v * 2; x < max; x *= 2) keep(x);
  for (let x = v / 2; x > min && x > 0; x /= 2) keep(x);
  return [...out].sort((a, b) => a - b);
}

/** Index of `value` on the grid (the nearest position when it is not on it). */
export function gridIndex(grid: readonly number[], value: number): number {
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (Math.abs(grid[i] - value) < Math.abs(grid[best] - value)) best = i;
  return best;
}

/** What a screen reader announces for a slider: the value itself with its unit, not its position. */
export function valueText(value: number, unit?: string): string {
  const shown = Number.isInteger(value) ? value.toLocaleString('en-US') : String(Number(value.toPrecision(4)));
  return unit ? `${shown} ${unit}` : shown;
}
