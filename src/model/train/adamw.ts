/**
 * Global-norm clipping and AdamW (Loshchilov & Hutter 2019, PyTorch's form: decoupled decay
 * p ← p·(1 − lr·λ) before the Adam update, bias-corrected moments) in float64 on values stored as
 * float32, the storage the GPU keeps: each result is rounded once when written back, so the CPU
 * trainer is deterministic and its checkpoints hold exactly what it continues from.
 */
export interface AdamWState {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

export interface AdamWSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step count for the bias correction. */
  t: number;
}

/** √Σg². */
export function globalNorm(grads: Float64Array): number {
  let s = 0;
  for (let i = 0; i < grads.length; i++) s += grads[i] * grads[i];
  return Math.sqrt(s);
}

/** Scales grads in place so their global norm is at most `clip`; returns the norm before. */
export function clipGlobalNorm(grads: Float64Array, clip: number): number {
  const norm = globalNorm(grads);
  if (norm > clip) {
    const k = clip / norm;
    for (let i = 0; i < grads.length; i++) grads[i] *= k;
  }
  return norm;
}

/** One AdamW update; `decay[i]` says whether parameter i is decayed (matrices and embeddings). */
export function adamwUpdate(state: AdamWState, grads: Float64Array, decay: Uint8Array, s: AdamWSettings): void {
  const c1 = 1 - s.beta1 ** s.t;
  const c2 = 1 - s.beta2 ** s.t;
  const { params, m, v } = state;
  for (let i = 0; i < params.length; i++) {
    const g = grads[i];
    const mi = s.beta1 * m[i] + (1 - s.beta1) * g;
    const vi = s.beta2 * v[i] + (1 - s.beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    let p: number = params[i];
    if (decay[i]) p *= 1 - s.lr * s.weightDecay;
    params[i] = p - (s.lr * (mi / c1)) / (Math.sqrt(vi / c2) + s.eps);
  }
}
