import type { Strategy } from '../../sim/cluster';

export const STRATEGY_LABEL: Record<Strategy, string> = {
  ddp: 'DDP',
  zero1: 'ZeRO-1',
  zero2: 'ZeRO-2',
  zero3: 'ZeRO-3 / FSDP',
};

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
