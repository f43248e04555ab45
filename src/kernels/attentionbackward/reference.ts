/**
 * Causal (or full) multi-head attention, forward and backward, in float64: the reference of the
 * WGSL backward kernels and a building block of the CPU model. Q, K, V, O, dO are [bh, n, d]
 * row-major (bh = batch × heads, the layout of shaders/attention/flash.wgsl), scale = 1/√d:
 *
 *   S = scale·Q·Kᵀ (masked above the diagonal when causal),  lse_i = log Σ_j exp(S_ij),
 *   P = exp(S − lse),  O = P·V
 *   dV = Pᵀ·dO,  dP = dO·Vᵀ,  D_i = Σ_c dO_ic·O_ic (= Σ_j P_ij·dP_ij),
 *   dS = P ⊙ (dP − D),  dQ = scale·dS·K,  dK = scale·dSᵀ·Q
 *
 * The backward takes the forward's O and lse (as flash.wgsl writes them) and recomputes P from
 * them, never storing it: the same recomputation the GPU kernel does.
 */
export interface AttentionDims {
  /** batch × heads */
  bh: number;
  /** sequence length */
  n: number;
  /** head dimension */
  d: number;
  causal: boolean;
}

export interface AttentionForward64 {
  /** [bh, n, d] */
  out: Float64Array;
  /** [bh, n]: log Σ_j exp(scale·q_i·k_j) over the visible keys. */
  lse: Float64Array;
}

export function attentionScale(d: number): number {
  return 1 / Math.sqrt(d);
}

export function attentionForward64(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  s: AttentionDims,
): AttentionForward64 {
  const { bh, n, d } = s;
  const scale = attentionScale(d);
  const out = new Float64Array(bh * n * d);
  const lse = new Float64Array(bh * n);
  const p = new Float64Array(n);
  for (let h = 0; h < bh; h++) {
    const base = h * n * d;
    for (let i = 0; i < n; i++) {
      const visible = s.causal ? i + 1 : n;
      let m = -Infinity;
      for (let j = 0; j < visible; j++) {
        let acc = 0;
        for (let c = 0; c < d; c++) acc += q[base + i * d + c] * k[base + j * d + c];
        p[j] = acc * scale;
        m = Math.max(m, p[j]);
      }
      let l = 0;
      for (let j = 0; j < visible; j++) l += p[j] = Math.exp(p[j] - m);
      const o = base + i * d;
      for (let j = 0; j < visible; j++) for (let c = 0; c < d; c++) out[o + c] += (p[j] / l) * v[base + j * d + c];
      lse[h * n + i] = m + Math.log(l);
    }
  }
  return { out, lse };
}

export interface AttentionBackward64 {
  dq: Float64Array;
  dk: Float64Array;
  dv: Float64Array;
}

export function attentionBackward64(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  o: ArrayLike<number>,
  lse: ArrayLike<number>,
  dout: ArrayLike<number>,
  s: AttentionDims,
): AttentionBackward64 {
  const { bh, n, d } = s;
  const scale = attentionScale(d);
  const dq = new Float64Array(bh * n * d);
  const dk = new Float64Array(bh * n * d);
  const dv = new Float64Array(bh * n * d);
  for (let h = 0; h < bh; h++) {
    const base = h * n * d;
    for (let i = 0; i < n; i++) {
      const qi = base + i * d;
      let D = 0;
      for (let c = 0; c < d; c++) D += dout[qi + c] * o[qi + c];
      const visible = s.causal ? i + 1 : n;
      for (let j = 0; j < visible; j++) {
        const kj = base + j * d;
        let sij = 0;
        let dpij = 0;
        for (let c = 0; c < d; c++) {
          sij += q[qi + c] * k[kj + c];
          dpij += dout[qi + c] * v[kj + c];
        }
        const pij = Math.exp(sij * scale - lse[h * n + i]);
        const dsij = pij * (dpij - D) * scale;
        for (let c = 0; c < d; c++) {
          dv[kj + c] += pij * dout[qi + c];
          dq[qi + c] += dsij * k[kj + c];
          dk[kj + c] += dsij * q[qi + c];
        }
      }
    }
  }
  return { dq, dk, dv };
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|) for the float32 backward:
 * p = exp(scale·q·k − lse) is recomputed in float32 (an error ε in the exponent is a relative
 * error ε in p), then summed over up to n keys or queries, against float64; as the forward
 * (ATTENTION_TOLERANCE), 1e-3; the test sizes stay near 1e-6.
 */
export const ATTENTION_BACKWARD_TOLERANCE = 1e-3;
