/**
 * Float64 layer math the CPU model composes: LayerNorm, tanh-GELU, causal multi-head attention
 * and masked softmax cross-entropy, forward and backward. Written as plain loops on Float64Array
 * so the whole-model gradient check measures the math, not rounding.
 */

/** LayerNorm ε, as in GPT-2 and PyTorch's default. */
export const LN_EPS = 1e-5;

export interface LayerNormSaved {
  y: Float64Array;
  mean: Float64Array;
  rstd: Float64Array;
}

export function layerNormForward(x: Float64Array, g: Float64Array, b: Float64Array, rows: number, D: number): LayerNormSaved {
  const y = new Float64Array(rows * D);
  const mean = new Float64Array(rows);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * D;
    let m = 0;
    for (let i = 0; i < D; i++) m += x[o + i];
    m /= D;
    let v = 0;
    for (let i = 0; i < D; i++) v += (x[o + i] - m) ** 2;
    const s = 1 / Math.sqrt(v / D + LN_EPS);
    mean[r] = m;
    rstd[r] = s;
    for (let i = 0; i < D; i++) y[o + i] = (x[o + i] - m) * s * g[i] + b[i];
  }
  return { y, mean, rstd };
}

/** dx += ∂L/∂x; dg, db += the parameter gradients. */
export function layerNormBackward(
  dy: Float64Array,
  x: Float64Array,
  saved: LayerNormSaved,
  g: Float64Array,
  rows: number,
  D: number,
  dx: Float64Array,
  dg: Float64Array,
  db: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * D;
    const m = saved.mean[r];
    const s = saved.rstd[r];
    // With x̂ = (x − μ)·s and dx̂ = dy·g: dx = s·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)).
    let sumD = 0;
    let sumDX = 0;
    for (let i = 0; i < D; i++) {
      const xh = (x[o + i] - m) * s;
      const d = dy[o + i] * g[i];
      sumD += d;
      sumDX += d * xh;
      dg[i] += dy[o + i] * xh;
      db[i] += dy[o + i];
    }
    for (let i = 0; i < D; i++) {
      const xh = (x[o + i] - m) * s;
      dx[o + i] += s * (dy[o + i] * g[i] - sumD / D - (xh * sumDX) / D);
    }
  }
}

const GELU_K = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;

/** GELU, tanh approximation (Hendrycks & Gimpel 2016), the form the fused bias+GELU kernel uses. */
export function gelu(v: number): number {
  return 0.5 * v * (1 + Math.tanh(GELU_K * (v + GELU_C * v * v * v)));
}

export function geluGrad(v: number): number {
  const u = GELU_K * (v + GELU_C * v * v * v);
  const t = Math.tanh(u);
  return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_K * (1 + 3 * GELU_C * v * v);
}

/**
 * Causal multi-head attention on the fused QKV rows [B·T, 3D] (Q, K, V side by side, head h in
 * columns h·hd … (h+1)·hd of each). Returns the head-concatenated output [B·T, D] and the
 * probabilities [B, H, T, T] the backward reuses (textbook attention: the model is tiny).
 */
export interface AttentionSaved {
  out: Float64Array;
  probs: Float64Array;
}

export function attentionForward(qkv: Float64Array, B: number, T: number, D: number, H: number): AttentionSaved {
  const hd = D / H;
  const scale = 1 / Math.sqrt(hd);
  const out = new Float64Array(B * T * D);
  const probs = new Float64Array(B * H * T * T);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let i = 0; i < T; i++) {
        const qo = (b * T + i) * 3 * D + h * hd;
        const po = ((b * H + h) * T + i) * T;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          const ko = (b * T + j) * 3 * D + D + h * hd;
          let s = 0;
          for (let c = 0; c < hd; c++) s += qkv[qo + c] * qkv[ko + c];
          probs[po + j] = s * scale;
          if (probs[po + j] > max) max = probs[po + j];
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          probs[po + j] = Math.exp(probs[po + j] - max);
          sum += probs[po + j];
        }
        const oo = (b * T + i) * D + h * hd;
        for (let j = 0; j <= i; j++) {
          probs[po + j] /= sum;
          const vo = (b * T + j) * 3 * D + 2 * D + h * hd;
          for (let c = 0; c < hd; c++) out[oo + c] += probs[po + j] * qkv[vo + c];
        }
      }
  return { out, probs };
}

/** dqkv += ∂L/∂qkv from dOut [B·T, D]. */
export function attentionBackward(dOut: Float64Array, qkv: Float64Array, saved: AttentionSaved, B: number, T: number, D: number, H: number, dqkv: Float64Array): void {
  const hd = D / H;
  const scale = 1 / Math.sqrt(hd);
  const dp = new Float64Array(T);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let i = 0; i < T; i++) {
        const po = ((b * H + h) * T + i) * T;
        const oo = (b * T + i) * D + h * hd;
        // dP = dO·Vᵀ; dV += Pᵀ·dO; dS = P ∘ (dP − Σ P·dP); dQ = dS·K·scale; dK += dSᵀ·Q·scale.
        let dot = 0;
        for (let j = 0; j <= i; j++) {
          const vo = (b * T + j) * 3 * D + 2 * D + h * hd;
          let s = 0;
          for (let c = 0; c < hd; c++) {
            s += dOut[oo + c] * qkv[vo + c];
            dqkv[vo + c] += saved.probs[po + j] * dOut[oo + c];
          }
          dp[j] = s;
          dot += s * saved.probs[po + j];
        }
        const qo = (b * T + i) * 3 * D + h * hd;
        for (let j = 0; j <= i; j++) {
          const ds = saved.probs[po + j] * (dp[j] - dot) * scale;
          const ko = (b * T + j) * 3 * D + D + h * hd;
          for (let c = 0; c < hd; c++) {
            dqkv[qo + c] += ds * qkv[ko + c];
            dqkv[ko + c] += ds * qkv[qo + c];
          }
        }
      }
}

/**
 * Mean softmax cross-entropy over the positions whose target is ≥ 0 (−1 is ignored), and its
 * gradient with respect to the logits. Returns NaN-free zero loss when no target counts.
 */
export function crossEntropy(logits: Float64Array, targets: Int32Array, V: number): { loss: number; count: number; dlogits: Float64Array } {
  const rows = targets.length;
  const dlogits = new Float64Array(rows * V);
  let count = 0;
  for (let r = 0; r < rows; r++) if (targets[r] >= 0) count++;
  let loss = 0;
  if (count === 0) return { loss: 0, count, dlogits };
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t < 0) continue;
    const o = r * V;
    let max = -Infinity;
    for (let v = 0; v < V; v++) if (logits[o + v] > max) max = logits[o + v];
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(logits[o + v] - max);
    const lse = max + Math.log(sum);
    loss += lse - logits[o + t];
    for (let v = 0; v < V; v++) dlogits[o + v] = (Math.exp(logits[o + v] - lse) - (v === t ? 1 : 0)) / count;
  }
  return { loss: loss / count, count, dlogits };
}
