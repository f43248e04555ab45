/**
 * Softmax cross-entropy over a vocabulary, in float64: the reference of the WGSL kernels and a
 * building block of the CPU model. logits [rows, V] row-major, one target id per row.
 *
 * A target of IGNORE_TARGET (−1; 0xFFFFFFFF as the GPU's u32) marks a row that is not scored (a
 * prompt token whose next token is given, padding): its loss and gradient are 0 and it is not
 * counted in the mean. The mean loss divides by the number of scored rows.
 */
export const IGNORE_TARGET = -1;

export interface CrossEntropyForward {
  /** [rows]: −log softmax(logits)[target]; 0 for ignored rows. */
  losses: Float64Array;
  /** Mean of the scored rows' losses (0 when none is scored). */
  meanLoss: number;
  /** Rows that were scored. */
  scored: number;
  /** [rows]: log Σ_v exp(logits[v]), the softmax normaliser the backward reuses. */
  logsumexp: Float64Array;
  /** [rows, V]: softmax(logits). */
  probs: Float64Array;
}

/** Whether a target is scored: ignored rows (−1, or 0xFFFFFFFF read from a GPU u32) are not. */
export function isScored(target: number, vocab: number): boolean {
  if (target === IGNORE_TARGET || target === 0xffffffff) return false;
  if (!Number.isInteger(target) || target < 0 || target >= vocab)
    throw new RangeError(`target ${target} is outside the vocabulary of ${vocab}`);
  return true;
}

export function crossEntropyForward(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  rows: number,
  vocab: number,
): CrossEntropyForward {
  const losses = new Float64Array(rows);
  const logsumexp = new Float64Array(rows);
  const probs = new Float64Array(rows * vocab);
  let total = 0;
  let scored = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * vocab;
    let m = -Infinity;
    for (let v = 0; v < vocab; v++) m = Math.max(m, logits[o + v]);
    let s = 0;
    for (let v = 0; v < vocab; v++) s += Math.exp(logits[o + v] - m);
    const lse = m + Math.log(s);
    logsumexp[r] = lse;
    for (let v = 0; v < vocab; v++) probs[o + v] = Math.exp(logits[o + v] - lse);
    if (isScored(targets[r], vocab)) {
      losses[r] = lse - logits[o + targets[r]];
      total += losses[r];
      scored++;
    }
  }
  return { losses, meanLoss: scored ? total / scored : 0, scored, logsumexp, probs };
}

/**
 * dL/dlogits of L = dLoss · meanLoss: (softmax − onehot(target)) · dLoss / scored on scored rows,
 * 0 on ignored ones. `logsumexp` from the forward is reused when given, else recomputed.
 */
export function crossEntropyBackward(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  rows: number,
  vocab: number,
  dLoss = 1,
  logsumexp?: ArrayLike<number>,
): Float64Array {
  const lse = logsumexp ?? crossEntropyForward(logits, targets, rows, vocab).logsumexp;
  let scored = 0;
  for (let r = 0; r < rows; r++) if (isScored(targets[r], vocab)) scored++;
  const d = new Float64Array(rows * vocab);
  if (!scored) return d;
  const k = dLoss / scored;
  for (let r = 0; r < rows; r++) {
    if (!isScored(targets[r], vocab)) continue;
    const o = r * vocab;
    for (let v = 0; v < vocab; v++) d[o + v] = Math.exp(logits[o + v] - lse[r]) * k;
    d[o + targets[r]] -= k;
  }
  return d;
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|) for the float32 kernels: a
 * log-sum-exp over at most tens of thousands of logits and one exp per gradient, against float64;
 * the GPU's exp and log are a few ulps off, so relative errors stay near 1e-6; 1e-4 leaves room
 * for large vocabularies without passing a wrong formula.
 */
export const CROSS_ENTROPY_TOLERANCE = 1e-4;

/** Targets for the GPU: a Uint32Array with IGNORE_TARGET as 0xFFFFFFFF. */
export function gpuTargets(targets: ArrayLike<number>): Uint32Array<ArrayBuffer> {
  return Uint32Array.from(targets, (t) => (t === IGNORE_TARGET ? 0xffffffff : t));
}
