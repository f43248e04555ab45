import { softmaxScale, type AttentionShape } from './shape';

/** One key block of the online softmax for one query row, as the tiled kernel computes it. */
export interface OnlineStep {
  kb: number;
  /** Keys [k0, k1) of this block that the row sees (k1 = k0 when the mask hides the whole block). */
  k0: number;
  k1: number;
  /** Largest score in this block (null when the block is masked for this row). */
  blockMax: number | null;
  mPrev: number | null;
  mNew: number;
  /** exp(mPrev − mNew): the factor applied to the running sum and accumulator. */
  alpha: number;
  /** Σ exp(s − mNew) over this block. */
  blockSum: number;
  /** Running sum after the block: l·alpha + blockSum. */
  l: number;
}

export interface RowTrace {
  head: number;
  row: number;
  steps: OnlineStep[];
  /** The two-pass (standard) softmax's max and sum over the whole row, for comparison. */
  rowMax: number;
  rowSum: number;
  /** Final probabilities per key (only for short rows), else null. */
  probs: number[] | null;
  /** Probability mass per key block (always). */
  blockMass: number[];
}

const MAX_PROBS = 512;

/**
 * Replays the tiled kernel's online softmax for one row in float64 from the run's real inputs,
 * block by block, plus the standard softmax of the same row: the picture shows both agree. Inside a
 * block the kernel updates every FLASH_KEY_STEP keys; its rescaling factors multiply out to this
 * block's alpha, so m and l at each block boundary are exactly these.
 */
export function traceRow(
  s: AttentionShape,
  bc: number,
  q: Float32Array,
  k: Float32Array,
  head: number,
  row: number,
): RowTrace {
  const { n, d, causal } = s;
  const scale = softmaxScale(d);
  const base = head * n * d;
  const visible = causal ? row + 1 : n;
  const scores = new Float64Array(visible);
  for (let j = 0; j < visible; j++) {
    let acc = 0;
    for (let c = 0; c < d; c++) acc += q[base + row * d + c] * k[base + j * d + c];
    scores[j] = acc * scale;
  }
  const steps: OnlineStep[] = [];
  let m: number | null = null;
  let l = 0;
  const blocks = Math.ceil(n / bc);
  // The kernel visits blocks up to the query block's last row; blocks past this row are all masked.
  for (let kb = 0; kb < blocks; kb++) {
    const k0 = kb * bc;
    if (causal && k0 > row) break;
    const k1 = Math.min(visible, k0 + bc);
    let blockMax = -Infinity;
    for (let j = k0; j < k1; j++) blockMax = Math.max(blockMax, scores[j]);
    const mNew: number = m === null ? blockMax : Math.max(m, blockMax);
    const alpha = m === null ? 0 : Math.exp(m - mNew);
    let blockSum = 0;
    for (let j = k0; j < k1; j++) blockSum += Math.exp(scores[j] - mNew);
    const mPrev = m;
    l = l * alpha + blockSum;
    m = mNew;
    steps.push({ kb, k0, k1, blockMax, mPrev, mNew, alpha, blockSum, l });
  }
  let rowMax = -Infinity;
  for (let j = 0; j < visible; j++) rowMax = Math.max(rowMax, scores[j]);
  let rowSum = 0;
  for (let j = 0; j < visible; j++) rowSum += Math.exp(scores[j] - rowMax);
  const blockMass = new Array<number>(blocks).fill(0);
  for (let j = 0; j < visible; j++) blockMass[Math.floor(j / bc)] += Math.exp(scores[j] - rowMax) / rowSum;
  let probs: number[] | null = null;
  if (n <= MAX_PROBS) {
    probs = new Array<number>(n).fill(0);
    for (let j = 0; j < visible; j++) probs[j] = Math.exp(scores[j] - rowMax) / rowSum;
  }
  return { head, row, steps, rowMax, rowSum, probs, blockMass };
}
