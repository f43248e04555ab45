import { describe, expect, it } from 'vitest';
import { adamwStep, clipFactor } from '../../src/kernels/adamw/reference';
import {
  attentionBackward64,
  attentionForward64,
  type AttentionDims,
} from '../../src/kernels/attentionbackward/reference';
import { crossEntropyBackward, crossEntropyForward, IGNORE_TARGET } from '../../src/kernels/crossentropy/reference';
import { embeddingBackward, embeddingForward } from '../../src/kernels/embedding/reference';
import { geluBackward, geluForward } from '../../src/kernels/gelu/reference';
import { layerNormBackward, layerNormForward } from '../../src/kernels/layernorm/reference';
import { linearBackward, linearForward, matmul64 } from '../../src/kernels/linear/reference';
import { seededFloats } from '../../src/kernels/random';

// The float64 references of the training kernels, held to central finite differences: each
// backward is the gradient of a random linear functional L = Σ w·forward(x) of its forward.

const f64 = (n: number, seed: number, lo = -1, hi = 1) => Float64Array.from(seededFloats(n, seed, lo, hi));

/** Central difference of L at every input element, against the analytic gradient. */
function fdCheck(x: Float64Array, loss: (x: Float64Array) => number, grad: ArrayLike<number>, h = 1e-5): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const keep = x[i];
    x[i] = keep + h;
    const up = loss(x);
    x[i] = keep - h;
    const down = loss(x);
    x[i] = keep;
    worst = Math.max(worst, Math.abs((up - down) / (2 * h) - grad[i]));
  }
  return worst;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe('training references (float64) against finite differences', () => {
  it('LayerNorm: dx, dγ, dβ', () => {
    const [R, C] = [3, 7];
    const x = f64(R * C, 1, -2, 2);
    const g = f64(C, 2, 0.5, 1.5);
    const b = f64(C, 3);
    const w = f64(R * C, 4);
    const fwd = layerNormForward(x, g, b, R, C);
    const bwd = layerNormBackward(w, x, g, fwd.mean, fwd.rstd, R, C);
    expect(fdCheck(x, (xx) => dot(w, layerNormForward(xx, g, b, R, C).y), bwd.dx)).toBeLessThan(1e-8);
    expect(fdCheck(g, (gg) => dot(w, layerNormForward(x, gg, b, R, C).y), bwd.dgamma)).toBeLessThan(1e-8);
    expect(fdCheck(b, (bb) => dot(w, layerNormForward(x, g, bb, R, C).y), bwd.dbeta)).toBeLessThan(1e-8);
    // Each normalised row has mean 0 and variance 1 (before γ, β).
    const plain = layerNormForward(x, new Float64Array(C).fill(1), new Float64Array(C), R, C).y.subarray(0, C);
    expect(plain.reduce((a, v) => a + v, 0)).toBeCloseTo(0, 12);
  });

  it('softmax cross-entropy: loss, ignored rows, dlogits', () => {
    const [R, V] = [4, 5];
    const logits = f64(R * V, 5, -3, 3);
    const targets = [2, IGNORE_TARGET, 0, 4];
    const fwd = crossEntropyForward(logits, targets, R, V);
    expect(fwd.scored).toBe(3);
    expect(fwd.losses[1]).toBe(0);
    expect(fwd.meanLoss).toBeCloseTo((fwd.losses[0] + fwd.losses[2] + fwd.losses[3]) / 3, 14);
    expect(fwd.losses[0]).toBeCloseTo(-Math.log(fwd.probs[2]), 12);
    const d = crossEntropyBackward(logits, targets, R, V, 2, fwd.logsumexp);
    expect(fdCheck(logits, (l) => 2 * crossEntropyForward(l, targets, R, V).meanLoss, d)).toBeLessThan(1e-8);
    expect(Array.from(d.subarray(V, 2 * V))).toEqual(new Array(V).fill(0));
    expect(() => crossEntropyForward(logits, [0, 0, 0, 5], R, V)).toThrow(/outside the vocabulary/);
  });

  it('GELU (tanh) with bias: forward values and backward', () => {
    expect(geluForward([1, -1, 0], null, 1, 3)[0]).toBeCloseTo(0.841192, 5);
    const [R, C] = [3, 4];
    const z = f64(R * C, 6, -4, 4);
    const bias = f64(C, 7);
    const w = f64(R * C, 8);
    const dz = geluBackward(z, bias, w, R, C);
    expect(fdCheck(z, (zz) => dot(w, geluForward(zz, bias, R, C)), dz)).toBeLessThan(1e-8);
  });

  it('causal attention: dQ, dK, dV from O and the log-sum-exp', () => {
    for (const causal of [true, false]) {
      const s: AttentionDims = { bh: 2, n: 5, d: 3, causal };
      const len = s.bh * s.n * s.d;
      const [q, k, v, w] = [f64(len, 9, -2, 2), f64(len, 10, -2, 2), f64(len, 11), f64(len, 12)];
      const fwd = attentionForward64(q, k, v, s);
      const g = attentionBackward64(q, k, v, fwd.out, fwd.lse, w, s);
      const L = (qq: Float64Array, kk: Float64Array, vv: Float64Array) => dot(w, attentionForward64(qq, kk, vv, s).out);
      expect(fdCheck(q, (x) => L(x, k, v), g.dq)).toBeLessThan(1e-8);
      expect(fdCheck(k, (x) => L(q, x, v), g.dk)).toBeLessThan(1e-8);
      expect(fdCheck(v, (x) => L(q, k, x), g.dv)).toBeLessThan(1e-8);
    }
    // Causal: row 0 sees only key 0, so its output is V's row 0.
    const s: AttentionDims = { bh: 1, n: 3, d: 2, causal: true };
    const fwd = attentionForward64([1, 2, 3, 4, 5, 6], [1, 0, 0, 1, 1, 1], [7, 8, 9, 10, 11, 12], s);
    expect(Array.from(fwd.out.subarray(0, 2))).toEqual([7, 8]);
  });

  it('embedding: gather forward, scatter-add backward', () => {
    const dims = { batch: 2, seq: 3, channels: 2, vocab: 4 };
    const tokens = [1, 1, 3, 0, 1, 2];
    const wte = f64(8, 13);
    const wpe = f64(6, 14);
    const out = embeddingForward(tokens, wte, wpe, dims);
    expect(out[2 * 2 + 1]).toBeCloseTo(wte[3 * 2 + 1] + wpe[2 * 2 + 1], 15);
    const w = f64(12, 15);
    const g = embeddingBackward(tokens, w, dims);
    expect(fdCheck(wte, (x) => dot(w, embeddingForward(tokens, x, wpe, dims)), g.dwte)).toBeLessThan(1e-9);
    expect(fdCheck(wpe, (x) => dot(w, embeddingForward(tokens, wte, x, dims)), g.dwpe)).toBeLessThan(1e-9);
    expect(() => embeddingForward([4, 0, 0, 0, 0, 0], wte, wpe, dims)).toThrow(/outside the vocabulary/);
  });

  it('linear layer: dX = dY·Wᵀ, dW = Xᵀ·dY, db = column sums; transposed operands', () => {
    const [M, K, N] = [3, 4, 5];
    const x = f64(M * K, 16);
    const wt = f64(K * N, 17);
    const b = f64(N, 18);
    const w = f64(M * N, 19);
    const g = linearBackward(w, x, wt, M, K, N);
    expect(fdCheck(x, (xx) => dot(w, linearForward(xx, wt, b, M, K, N)), g.dx)).toBeLessThan(1e-9);
    expect(fdCheck(wt, (ww) => dot(w, linearForward(x, ww, b, M, K, N)), g.dw)).toBeLessThan(1e-9);
    expect(fdCheck(b, (bb) => dot(w, linearForward(x, wt, bb, M, K, N)), g.db)).toBeLessThan(1e-9);
    expect(Array.from(matmul64([1, 2, 3, 4], [1, 1, 1, 1], { M: 2, N: 2, K: 2 }, [10, 0, 0, 0]))).toEqual([
      13, 3, 7, 7,
    ]);
  });

  it('AdamW: clipping, bias correction, decoupled decay', () => {
    const hp = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.5, step: 1, maxNorm: 1 };
    const r = adamwStep([1, 1], [3, 4], [0, 0], [0, 0], hp, [1, 0]);
    expect(r.gradNorm).toBe(5);
    expect(r.clip).toBeCloseTo(1 / (5 + 1e-6), 15);
    // Step 1: m̂ = g, v̂ = g², so the step is lr·sign(g) (ε aside); decay only on element 0.
    expect(r.params[0]).toBeCloseTo(1 * (1 - 0.05) - 0.1, 6);
    expect(r.params[1]).toBeCloseTo(1 - 0.1, 6);
    expect(r.m[1]).toBeCloseTo(0.1 * 0.8, 6);
    expect(clipFactor(0.5, 1)).toBe(1);
    expect(clipFactor(10, 0)).toBe(1);
    expect(() => adamwStep([1], [1], [0], [0], { ...hp, step: 0 })).toThrow(/step/);
  });
});
