import type { Strategy } from '../../sim/cluster';

export const STRATEGY_LABEL: Record<Strategy, string> = { ddp: 'DDP', zero1: 'ZeRO-1', zero2: 'ZeRO-2', zero3: 'ZeRO-3 / FSDP' };

/** One colour per memory kind, from the shared palette (UI.md); out-of-memory alone is red. */
export const MEMORY_KINDS = [
  { key: 'params', label: 'Weights', color: 'var(--hbm)' },
  { key: 'grads', label: 'Gradients', color: 'var(--hbm-soft)' },
  { key: 'optimizer', label: 'Optimizer states', color: 'var(--sram)' },
  { key: 'activations', label: 'Activations', color: 'var(--compute)' },
  { key: 'buffers', label: 'Gather buffers', color: 'var(--idle)' },
] as const;

export function fmtGB(bytes: number): string {
  const gb = bytes / 1e9;
  if (gb >= 100) return `${gb.toFixed(0)} GB`;
  if (gb >= 10) return `${gb.toFixed(1)} GB`;
  if (gb >= 0.1) return `${gb.toFixed(2)} GB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function fmtHours(h: number): string {
  if (!Number.isFinite(h)) return '∞';
  if (h < 1 / 60) return `${(h * 3600).toFixed(1)} s`;
  if (h < 1) return `${(h * 60).toFixed(1)} min`;
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

export function fmtSeconds(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toFixed(0)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(1)} ms`;
  return `${s.toFixed(2)} s`;
}

/**
 * Tick values for a log-scaled time axis (hours): round durations from a minute to months, kept
 * only where they fall inside the domain and at least `minGap` pixels apart.
 */
export function timeTicks(domain: [number, number], px: (h: number) => number, minGap = 44): number[] {
  const nice = [1 / 60, 2 / 60, 5 / 60, 10 / 60, 15 / 60, 0.5, 1, 2, 4, 8, 12, 24, 48, 96, 168, 336, 720];
  const out: number[] = [];
  for (const h of nice) {
    if (h < domain[0] || h > domain[1]) continue;
    if (out.length && px(h) - px(out[out.length - 1]) < minGap) continue;
    out.push(h);
  }
  return out;
}

/** Whole-day ticks for a linear wall-clock axis in hours, about `count` of them. */
export function dayTicks(horizonH: number, count = 6): number[] {
  const days = horizonH / 24;
  const step = [1, 2, 5, 7, 10, 14, 30, 60].find((s) => days / s <= count) ?? 90;
  const out: number[] = [];
  for (let d = 0; d <= days + 1e-9; d += step) out.push(d * 24);
  return out;
}
