/**
 * Tick candidates for time axes in hours, where d3's decimal ticks (0.2 h, 25 h) read badly:
 * round durations for log axes, whole days for long linear ones. Plot thins them to fit.
 */

/** Round durations from a minute to a month that fall inside [lo, hi] (hours). */
export function durationTicks(lo: number, hi: number): number[] {
  const nice = [1 / 60, 2 / 60, 5 / 60, 10 / 60, 15 / 60, 0.5, 1, 2, 4, 8, 12, 24, 48, 96, 168, 336, 720];
  return nice.filter((h) => h >= lo * (1 - 1e-9) && h <= hi * (1 + 1e-9));
}

/** Whole-day ticks for a linear axis in hours from 0 to `horizonH`, about `count` of them. */
export function dayTicks(horizonH: number, count = 6): number[] {
  const days = horizonH / 24;
  const step = [1, 2, 5, 7, 10, 14, 30, 60].find((s) => days / s <= count) ?? 90;
  const out: number[] = [];
  for (let d = 0; d <= days + 1e-9; d += step) out.push(d * 24);
  return out;
}
