/**
 * One AdamW step with global-norm gradient clipping, in float64: the reference of the WGSL
 * optimizer kernels and the CPU model's optimizer. Semantics of PyTorch's clip_grad_norm_ followed
 * by torch.optim.AdamW (decoupled weight decay, bias-corrected moments):
 *
 *   norm  = √(Σ g²) over every gradient,  clip = min(1, maxNorm / (norm + 1e-6))  (1 if maxNorm ≤ 0)
 *   g ← g·clip;  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   p ← p·(1 − lr·λ) − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
 *
 * All parameters are one flat vector (the trainer keeps them in one buffer, so one norm and one
 * update cover the model); λ applies where decayMask is 1 (matrices), not where it is 0 (biases,
 * LayerNorm gains), all of them when no mask is given.
 *
 * Dynamic loss scaling: gradients computed from a loss scaled by S arrive with gradScale = 1/S and
 * are unscaled first (g ← g·gradScale, the norm too). When the norm is not finite (a scaled
 * gradient overflowed), the step is skipped: parameters and moments are returned unchanged and
 * `skipped` is set, for the trainer to halve S (GradScaler's rule).
 */
export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step count t, for the bias corrections. */
  step: number;
  /** Clip the global gradient norm to this; 0 or less turns clipping off. */
  maxNorm: number;
  /** Multiplies every gradient before anything else (1/S under loss scaling); 1 when absent. */
  gradScale?: number;
}

/** PyTorch's epsilon in clip_grad_norm_'s max_norm / (total_norm + 1e-6). */
export const CLIP_EPS = 1e-6;

export const ADAMW_DEFAULTS: Omit<AdamWHyper, 'lr' | 'step'> = {
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0.01,
  maxNorm: 1,
};

export interface AdamWResult {
  params: Float64Array;
  m: Float64Array;
  v: Float64Array;
  /** √(Σ g²) before clipping. */
  gradNorm: number;
  /** The clipping factor (1 when not clipped), applied after gradScale. */
  clip: number;
  /** The norm was not finite: nothing was updated. */
  skipped: boolean;
}

export function clipFactor(norm: number, maxNorm: number): number {
  return maxNorm > 0 ? Math.min(1, maxNorm / (norm + CLIP_EPS)) : 1;
}

export function globalNorm(grads: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < grads.length; i++) s += grads[i] * grads[i];
  return Math.sqrt(s);
}

/** One step; returns new arrays (the inputs are not modified). */
export function adamwStep(
  params: ArrayLike<number>,
  grads: ArrayLike<number>,
  m: ArrayLike<number>,
  v: ArrayLike<number>,
  hp: AdamWHyper,
  decayMask?: ArrayLike<number>,
): AdamWResult {
  const n = params.length;
  if (grads.length !== n || m.length !== n || v.length !== n)
    throw new RangeError(
      `AdamW: params, grads, m and v must have the same length (${n}, ${grads.length}, ${m.length}, ${v.length})`,
    );
  if (!(hp.step >= 1)) throw new RangeError(`AdamW: step must be 1 or more (got ${hp.step})`);
  const scale = hp.gradScale ?? 1;
  const gradNorm = globalNorm(grads) * scale;
  if (!Number.isFinite(gradNorm))
    return {
      params: Float64Array.from(params),
      m: Float64Array.from(m),
      v: Float64Array.from(v),
      gradNorm,
      clip: 1,
      skipped: true,
    };
  const clip = clipFactor(gradNorm, hp.maxNorm);
  const bc1 = 1 - hp.beta1 ** hp.step;
  const bc2 = 1 - hp.beta2 ** hp.step;
  const out: AdamWResult = {
    params: new Float64Array(n),
    m: new Float64Array(n),
    v: new Float64Array(n),
    gradNorm,
    clip,
    skipped: false,
  };
  for (let i = 0; i < n; i++) {
    const g = grads[i] * scale * clip;
    const mi = hp.beta1 * m[i] + (1 - hp.beta1) * g;
    const vi = hp.beta2 * v[i] + (1 - hp.beta2) * g * g;
    const decay = decayMask && !decayMask[i] ? 0 : hp.weightDecay;
    out.m[i] = mi;
    out.v[i] = vi;
    out.params[i] = params[i] * (1 - hp.lr * decay) - (hp.lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + hp.eps);
  }
  return out;
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|) for the float32 kernels: a
 * norm summed over up to millions of squares and an update of a few float32 operations, against
 * float64; 1e-5 of the largest value (parameters near 1, steps of lr) without passing a wrong
 * bias correction or a missing clip (errors of order lr).
 */
export const ADAMW_TOLERANCE = 1e-5;

/** The per-element decay mask of a list of segments (for the reference). */
export function decayMaskOf(
  n: number,
  segments: readonly { offset: number; length: number; decay: boolean }[],
): Float64Array {
  const mask = new Float64Array(n);
  for (const s of segments) mask.fill(s.decay ? 1 : 0, s.offset, s.offset + s.length);
  return mask;
}
