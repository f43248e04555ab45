/**
 * Activation-aware weight quantization (AWQ, Lin et al. 2024), the idea in a few lines: input
 * channels that carry large activations matter most to the output, so scale those columns of W up
 * by s_k before quantizing (their relative rounding error shrinks) and divide the activations by
 * s_k (folded into the previous operator in a real model, so it is free at inference). The scales
 * are s_k = a_k^α with a_k the mean |x_k| over a calibration batch, normalised by √(max·min), and α
 * searched over a grid for the smallest output error on that batch. α = 0 is plain RTN.
 */
import { quantizeGroup } from './quantize';
import { sampleColumns } from './reference';

export interface AwqPoint {
  alpha: number;
  /** Mean squared output error on the calibration batch (sampled channels). */
  mse: number;
}

export interface AwqSearch {
  /** The best α on the grid. */
  alpha: number;
  /** Per-input-channel scales s_k for that α (all 1 when α = 0 wins). */
  scales: Float32Array<ArrayBuffer>;
  grid: AwqPoint[];
  /** Output MSE of RTN (α = 0) and of the chosen α, on the calibration batch. */
  rtnMse: number;
  awqMse: number;
  /** Output channels the search evaluated (a sample keeps it fast on large layers). */
  rowsSearched: number;
}

export interface AwqOptions {
  /** Grid points in [0, 1]: 0, 1/(steps−1), …, 1. */
  steps?: number;
  /** Output channels sampled for the search. */
  sampleRows?: number;
}

function channelScales(meanAbs: Float64Array, alpha: number): Float32Array<ArrayBuffer> {
  const K = meanAbs.length;
  const s = new Float64Array(K);
  let mx = 0;
  let mn = Infinity;
  for (let k = 0; k < K; k++) {
    s[k] = Math.max(meanAbs[k], 1e-8) ** alpha;
    mx = Math.max(mx, s[k]);
    mn = Math.min(mn, s[k]);
  }
  const norm = Math.sqrt(mx * mn);
  return Float32Array.from(s, (v) => v / norm);
}

/** Scaled row W_n·diag(s), quantized group-wise and dequantized, then divided by s again. */
function effectiveRow(
  w: ArrayLike<number>,
  n: number,
  K: number,
  s: Float32Array,
  group: number,
  asym: boolean,
): Float64Array {
  const scaled = new Float64Array(K);
  for (let k = 0; k < K; k++) scaled[k] = Math.fround(w[n * K + k] * s[k]);
  const out = new Float64Array(K);
  for (let g0 = 0; g0 < K; g0 += group) {
    const g = quantizeGroup(scaled, g0, group, asym);
    for (let i = 0; i < group; i++) out[g0 + i] = ((g.q[i] - g.zero) * g.scale) / s[g0 + i];
  }
  return out;
}

/**
 * Searches α for int4 group-wise weights (symmetric or with zero points) given `calib`, C×K
 * activations. Returns the scales to apply: quantize W·diag(s) and feed x / s.
 */
export function awqSearch(
  w: ArrayLike<number>,
  N: number,
  K: number,
  calib: ArrayLike<number>,
  C: number,
  group: number,
  asym: boolean,
  opts: AwqOptions = {},
): AwqSearch {
  if (K % group !== 0) throw new RangeError(`AWQ: K = ${K} is not a multiple of the group size ${group}.`);
  if (calib.length !== C * K)
    throw new RangeError(`AWQ: calibration batch has ${calib.length} values, expected C·K = ${C * K}.`);
  const steps = Math.max(2, opts.steps ?? 11);
  const rows = sampleColumns(N, opts.sampleRows ?? 128);
  const meanAbs = new Float64Array(K);
  for (let c = 0; c < C; c++) for (let k = 0; k < K; k++) meanAbs[k] += Math.abs(calib[c * K + k]) / C;
  // The exact outputs of the sampled channels on the calibration batch.
  const exact = new Float64Array(C * rows.length);
  rows.forEach((n, j) => {
    for (let c = 0; c < C; c++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += calib[c * K + k] * w[n * K + k];
      exact[c * rows.length + j] = acc;
    }
  });
  const grid: AwqPoint[] = [];
  let best = { alpha: 0, mse: Infinity, scales: new Float32Array(K).fill(1) };
  for (let i = 0; i < steps; i++) {
    const alpha = i / (steps - 1);
    const s = alpha === 0 ? new Float32Array(K).fill(1) : channelScales(meanAbs, alpha);
    let se = 0;
    rows.forEach((n, j) => {
      const row = effectiveRow(w, n, K, s, group, asym);
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += calib[c * K + k] * row[k];
        se += (acc - exact[c * rows.length + j]) ** 2;
      }
    });
    const mse = se / (C * rows.length);
    grid.push({ alpha, mse });
    if (mse < best.mse) best = { alpha, mse, scales: s };
  }
  return {
    alpha: best.alpha,
    scales: best.scales,
    grid,
    rtnMse: grid[0].mse,
    awqMse: best.mse,
    rowsSearched: rows.length,
  };
}

/** W·diag(s): the matrix to quantize once the scales are chosen. */
export function scaleColumns(w: ArrayLike<number>, N: number, K: number, s: Float32Array): Float32Array<ArrayBuffer> {
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) out[n * K + k] = w[n * K + k] * s[k];
  return out;
}

/** x·diag(1/s): the activations the AWQ-scaled weights expect. */
export function unscaleActivations(
  x: ArrayLike<number>,
  M: number,
  K: number,
  s: Float32Array,
): Float32Array<ArrayBuffer> {
  const out = new Float32Array(M * K);
  for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) out[m * K + k] = x[m * K + k] / s[k];
  return out;
}
