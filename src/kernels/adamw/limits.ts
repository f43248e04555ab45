import { checkBinding, checkWhole, type TrainLimits } from '../limits';

/** A stretch of the flat parameter buffer with one weight-decay setting. */
export interface AdamWSegment {
  offset: number;
  length: number;
  /** Whether weight decay applies (matrices: yes; biases and LayerNorm gains: no). */
  decay: boolean;
}

/** Invocations per workgroup of the norm's stage 1 and of the update; stage 2's (≥ the number of partials). */
export const ADAMW_WG = 256;
export const NORM_FINAL_WG = 64;

/** Workgroups of the norm's stage 1: enough to spread the work, never more than stage 2 can add in one tree. */
export function normGroups(n: number): number {
  return Math.max(1, Math.min(NORM_FINAL_WG, Math.ceil(n / ADAMW_WG)));
}

/** The segments, checked: whole numbers, inside [0, n), not overlapping (each parameter updated at most once). */
export function checkAdamW(n: number, segments: readonly AdamWSegment[], limits: TrainLimits): void {
  checkWhole('adamw', 'parameter count', n);
  checkBinding('adamw', `${n} parameters`, n, limits);
  if (!segments.length) throw new RangeError('adamw: at least one segment of parameters to update is needed.');
  const sorted = [...segments].sort((a, b) => a.offset - b.offset);
  let end = 0;
  for (const s of sorted) {
    checkWhole('adamw', 'segment offset', s.offset, 0);
    checkWhole('adamw', 'segment length', s.length);
    if (s.offset < end)
      throw new RangeError(`adamw: segment at ${s.offset} overlaps the one before it (ends at ${end}).`);
    end = s.offset + s.length;
    if (end > n) throw new RangeError(`adamw: segment ${s.offset}..${end} runs past the ${n} parameters.`);
  }
}
