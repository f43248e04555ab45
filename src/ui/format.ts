/** SI numbers with a thin space before the unit, as UI.md asks: 1.38 GB/s, 0.42 ms, 12.5 GFLOP/s. */
const THIN = '\u2009';

function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const mag = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, Math.min(6, digits - 1 - mag));
  return x.toFixed(decimals);
}

export function fmtSI(x: number, unit: string, digits = 3): string {
  if (!Number.isFinite(x)) return '—';
  const prefixes: [number, string][] = [
    [1e15, 'P'],
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, p] of prefixes) if (Math.abs(x) >= scale) return `${sig(x / scale, digits)}${THIN}${p}${unit}`;
  return `${sig(x, digits)}${THIN}${unit}`;
}

export function fmtGBps(gbPerS: number): string {
  return fmtSI(gbPerS * 1e9, 'B/s');
}

export function fmtGflops(gflopPerS: number): string {
  return fmtSI(gflopPerS * 1e9, 'FLOP/s');
}

export function fmtFlops(flops: number): string {
  return fmtSI(flops, 'FLOP');
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${sig(ms * 1000)}${THIN}µs`;
  if (ms >= 1000) return `${sig(ms / 1000)}${THIN}s`;
  return `${sig(ms)}${THIN}ms`;
}

/** Byte counts in binary units (KiB/MiB/GiB). */
export function fmtBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = n;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${i === 0 ? String(Math.round(x)) : sig(x)}${THIN}${units[i]}`;
}

export function fmtPct(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)}${THIN}%` : '—';
}

export function fmtRatio(x: number): string {
  return Number.isFinite(x) ? `${sig(x)}×` : '—';
}

/**
 * A rate of things per second with a decimal SI prefix and three significant digits, e.g.
 * "3.28 M rows/s", "842 rows/s": one formatter for every rate, so two rates side by side read alike
 * (never a binary "3200 K/s" beside a raw "1,342,951/s").
 */
export function fmtRate(perS: number, noun = ''): string {
  if (!Number.isFinite(perS)) return '—';
  const tail = noun ? `${THIN}${noun}/s` : '/s';
  const prefixes: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, p] of prefixes) if (Math.abs(perS) >= scale) return `${sig(perS / scale)}${THIN}${p}${tail}`;
  return `${sig(perS)}${tail}`;
}

/** Element counts as 64 K / 16 M, the way sizes are said aloud (sizes, not rates: see fmtRate). */
export function fmtCount(n: number): string {
  if (n >= 2 ** 20 && n % 2 ** 20 === 0) return `${n / 2 ** 20}${THIN}M`;
  if (n >= 2 ** 10 && n % 2 ** 10 === 0) return `${n / 2 ** 10}${THIN}K`;
  return n.toLocaleString('en-US');
}
