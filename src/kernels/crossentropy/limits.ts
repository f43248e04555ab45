import { checkBinding, checkWhole, type TrainLimits } from '../limits';

/** logits and dlogits [rows, vocab]; targets, losses, lse [rows]; stats [2] = mean loss, scored rows. */
export interface CrossEntropyDims {
  rows: number;
  vocab: number;
}

/** Invocations per row (forward, backward) and of the one mean workgroup; powers of two (tree reductions). */
export const CE_ROW_WG = 64;
export const CE_MEAN_WG = 256;

export function checkCrossEntropy(d: CrossEntropyDims, limits: TrainLimits): void {
  checkWhole('cross-entropy', 'rows', d.rows);
  checkWhole('cross-entropy', 'vocab', d.vocab, 2);
  checkBinding('cross-entropy', `logits (${d.rows}×${d.vocab})`, d.rows * d.vocab, limits);
  // The mean's scored-row count travels as a float32: exact only up to 2^24 rows.
  if (d.rows > 2 ** 24)
    throw new RangeError(`cross-entropy: ${d.rows} rows; the scored-row count is exact only up to 2^24.`);
}
