/**
 * Synthetic layer data for the decode lab, seeded so every run and test reproduces:
 * weights ~ Normal(0, 1/√K) (the scale of an initialised projection), and activations whose
 * input channels have very different magnitudes, as LLM activations do: a few "salient"
 * channels are OUTLIER_GAIN times larger than the rest (Dettmers et al. 2022 report such outlier
 * features in every large transformer; AWQ, Lin et al. 2024, protects exactly these channels).
 */
import { mulberry32 } from '../random';

export const OUTLIER_FRACTION = 0.01;
export const OUTLIER_GAIN = 20;

function normals(n: number, seed: number, sd: number): Float32Array<ArrayBuffer> {
  const u = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    // Box–Muller: two normals from two uniforms (1 − u avoids log 0).
    const r = Math.sqrt(-2 * Math.log(1 - u())) * sd;
    const t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

export function layerWeights(N: number, K: number, seed = 1): Float32Array<ArrayBuffer> {
  return normals(N * K, seed, 1 / Math.sqrt(K));
}

/** Per-input-channel magnitude: 1, or OUTLIER_GAIN for a seeded ~1% of the channels (at least one). */
export function channelGains(K: number, seed = 7): Float32Array<ArrayBuffer> {
  const u = mulberry32(seed);
  const g = new Float32Array(K).fill(1);
  const count = Math.max(1, Math.round(K * OUTLIER_FRACTION));
  for (let i = 0; i < count; i++) g[Math.floor(u() * K)] = OUTLIER_GAIN;
  return g;
}

/** `rows` activation vectors of K channels with the given per-channel gains. */
export function activations(rows: number, K: number, gains: Float32Array, seed = 2): Float32Array<ArrayBuffer> {
  const x = normals(rows * K, seed, 1);
  for (let i = 0; i < x.length; i++) x[i] *= gains[i % K];
  return x;
}
