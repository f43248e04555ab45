import { fmtMs } from '../../ui/format';

/**
 * The lesson: Arrow's column views need no decoding, so a sample costs less from Arrow than from
 * Parquet. Disagreement: Arrow's measured cost per sample is no lower. The transform is paid the
 * same whatever the format, so only the decode part differs, and it is short enough for noise.
 */
export function dataloaderGuard(m: { arrowMs: number; parquetMs: number; augment: number }): string | null {
  if (!(m.arrowMs > 0) || !(m.parquetMs > 0) || m.arrowMs < m.parquetMs) return null;
  return `Arrow cost ${fmtMs(m.arrowMs)} per sample, Parquet ${fmtMs(m.parquetMs)}. Both include the same transform (${m.augment} passes per value), paid whatever the format, so only the decode part can differ, and it is timed in a few milliseconds on this CPU, where other work’s noise can exceed it. Arrow’s zero-copy lead grows with the share of time spent decoding (more feature columns, fewer transform passes).`;
}
