import type { Batch } from './task';

/**
 * Exact-match accuracy from one teacher-forced forward pass. If the argmax at every answer
 * position equals the target given the true prefix, greedy decoding writes the same digits (each
 * step sees the prefix it just wrote, which is the true one); if one is wrong, greedy decoding
 * goes wrong at the first such place too. So this equals greedy generation's exact match without
 * T sequential decode steps.
 */
export function argmaxRows(logits: ArrayLike<number>, vocab: number): Int32Array {
  const rows = logits.length / vocab;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let v = 1; v < vocab; v++) if (logits[r * vocab + v] > logits[r * vocab + best]) best = v;
    out[r] = best;
  }
  return out;
}

/** Fraction of examples whose every answer digit is predicted. */
export function exactMatch(predictions: Int32Array, batch: Batch, answerLength: number): number {
  let right = 0;
  for (const start of batch.answerStarts) {
    let ok = true;
    for (let j = 0; j < answerLength && ok; j++) ok = predictions[start + j] === batch.targets[start + j];
    if (ok) right++;
  }
  return batch.answerStarts.length ? right / batch.answerStarts.length : 0;
}
