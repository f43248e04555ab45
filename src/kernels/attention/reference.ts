import { softmaxScale, type AttentionShape } from './shape';

export interface AttentionReference {
  /** O in float64, [bh, n, d]. */
  out: Float64Array;
  /** log Σ exp(score) per row, in float64. */
  lse: Float64Array;
}

/** softmax(scale·Q·Kᵀ (+ causal mask))·V in float64, with the row max subtracted before exp. */
export function attentionReference(s: AttentionShape, q: Float32Array, k: Float32Array, v: Float32Array): AttentionReference {
  const { bh, n, d, causal } = s;
  const scale = softmaxScale(d);
  const out = new Float64Array(bh * n * d);
  const lse = new Float64Array(bh * n);
  const scores = new Float64Array(n);
  for (let h = 0; h < bh; h++) {
    const base = h * n * d;
    for (let i = 0; i < n; i++) {
      const visible = causal ? i + 1 : n;
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
      const o = base + i * d;
      for (let j = 0; j < visible; j++) {
        const p = scores[j] / l;
        for (let c = 0; c < d; c++) out[o + c] += p * v[base + j * d + c];
      }
      lse[h * n + i] = m + Math.log(l);
    }
  }
  return { out, lse };
}
