import { ErrorMeter, type CheckError } from '../check';
import { softmaxScale, type AttentionShape } from './shape';

export interface AttentionReference {
  /** O in float64, [bh, n, d]. */
  out: Float64Array;
  /** log Σ exp(score) per row, in float64. */
  lse: Float64Array;
}

/** One output row in float64 (softmax with the row max subtracted before exp); returns its log-sum-exp. */
export function referenceRow(
  s: AttentionShape,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  h: number,
  i: number,
  out: Float64Array,
  outOffset = 0,
): number {
  const { n, d, causal } = s;
  const scale = softmaxScale(d);
  const base = h * n * d;
  const visible = causal ? i + 1 : n;
  const scores = new Float64Array(visible);
  let m = -Infinity;
  for (let j = 0; j < visible; j++) {
    let acc = 0;
    for (let c = 0; c < d; c++) acc += q[base + i * d + c] * k[base + j * d + c];
    scores[j] = acc * scale;
    if (scores[j] > m) m = scores[j];
  }
  let l = 0;
  for (let j = 0; j < visible; j++) {
    scores[j] = Math.exp(scores[j] - m);
    l += scores[j];
  }
  for (let c = 0; c < d; c++) out[outOffset + c] = 0;
  for (let j = 0; j < visible; j++) {
    const p = scores[j] / l;
    for (let c = 0; c < d; c++) out[outOffset + c] += p * v[base + j * d + c];
  }
  return m + Math.log(l);
}

/** softmax(scale·Q·Kᵀ (+ causal mask))·V in float64 for every row. */
export function attentionReference(
  s: AttentionShape,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
): AttentionReference {
  const { bh, n, d } = s;
  const out = new Float64Array(bh * n * d);
  const lse = new Float64Array(bh * n);
  for (let h = 0; h < bh; h++)
    for (let i = 0; i < n; i++) lse[h * n + i] = referenceRow(s, q, k, v, h, i, out, (h * n + i) * d);
  return { out, lse };
}

/**
 * The one check metric (src/kernels/check.ts) over a few rows: the full float64 reference is
 * O(N²d), too slow for large N in a page, so `rows` (spread over heads, first and last included)
 * are compared, and the worst index is named in the whole [bh][N][d] output.
 */
export function sampledRowsCheck(
  s: AttentionShape,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  got: Float32Array,
  rows: { h: number; i: number }[],
): CheckError {
  const want = new Float64Array(s.d);
  const meter = new ErrorMeter();
  for (const { h, i } of rows) {
    want.fill(0);
    referenceRow(s, q, k, v, h, i, want);
    const o = (h * s.n + i) * s.d;
    meter.add(got.subarray(o, o + s.d), want, o);
  }
  return meter.result();
}

/**
 * Tolerance of that metric: float32 exp and sums over up to 16 K keys (and the online softmax's
 * rescaling) against float64; 1e-3 of the largest output, as the bench has always allowed.
 */
export const ATTENTION_TOLERANCE = 1e-3;
