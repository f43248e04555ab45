import type { AttentionShape } from './shape';
import { seededUniform } from '../random';

/** Deterministic inputs in [-amp, amp): a run can be reproduced, and its trace recomputed, from the seed. */
export function seededFloats(len: number, seed: number, amp = 1): Float32Array {
  const u = seededUniform(seed);
  const out = new Float32Array(len);
  for (let i = 0; i < len; i++) out[i] = (u() - 0.5) * 2 * amp;
  return out;
}

/**
 * Q and K wide enough that scores spread over a few units (so the softmax is not flat and the
 * running maximum visibly moves), V in [-1, 1).
 */
export function attentionInputs(s: AttentionShape, seed = 1): { q: Float32Array; k: Float32Array; v: Float32Array } {
  const len = s.bh * s.n * s.d;
  return { q: seededFloats(len, seed, 2), k: seededFloats(len, seed + 101, 2), v: seededFloats(len, seed + 202) };
}
