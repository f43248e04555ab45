import { mulberry32 } from '../random';

/**
 * A synthetic gradient tensor: magnitudes log-normal (log10 |g| ~ Normal(median, sigma), truncated
 * to [lo, hi] decades), random signs. Gradients of deep networks span many powers of two with much
 * of the mass far below 1 (Micikevicius et al. 2018, "Mixed Precision Training", Fig. 3: a histogram
 * of SSD activation gradients, a large part of it below fp16's smallest value); the default spans
 * 1e−10…1e2.
 */
export interface GradientSpec {
  n: number;
  seed: number;
  /** log10 of the median magnitude. */
  median?: number;
  /** Standard deviation of log10 |g|, in decades. */
  sigma?: number;
  lo?: number;
  hi?: number;
}

export function logNormalGradient(spec: GradientSpec): Float32Array {
  const { n, seed, median = -5, sigma = 2, lo = -10, hi = 2 } = spec;
  const rnd = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Box–Muller: one standard normal from two uniforms (1 − u keeps the log finite). Values
    // outside [lo, hi] are drawn again (a truncated normal), so no spike piles up at the ends.
    let d: number;
    do d = median + sigma * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    while (d < lo || d > hi);
    out[i] = (rnd() < 0.5 ? -1 : 1) * 10 ** d;
  }
  return out;
}

/** Edge cases for the bit-exact test: ties, the subnormal and overflow boundaries of both formats. */
export function edgeCases(): Float32Array {
  const v: number[] = [0, -0, Infinity, -Infinity, 1, -1, 65504, 65505, 65519.99, 65520, 65536, 1e5, 3.3895e38, 3.4e38];
  for (let k = -30; k <= -10; k++)
    v.push(2 ** k, -(2 ** k), 1.5 * 2 ** k, 2 ** k * (1 + 2 ** -11), 2 ** k * (1 + 2 ** -10 + 2 ** -11));
  // Exact ties for fp16 (bit 12 set, lower bits clear) with even and odd kept mantissas.
  for (const m of [0x1000, 0x3000, 0x1001, 0x0fff, 0x7fe000, 0x7ff000])
    v.push(Math.fround(2 ** -3 * (1 + m / 2 ** 23)));
  // Exact ties for bf16 (bit 15 set), even and odd.
  for (const m of [0x8000, 0x18000, 0x8001, 0x7fff]) v.push(Math.fround(1 + m / 2 ** 23));
  // Smallest and largest float32 subnormals / normals, and around bf16's max.
  v.push(
    1e-40,
    -5e-39,
    2 ** -140,
    1.4e-45,
    1.1754942e-38,
    1.1754944e-38,
    3.4028235e38,
    -3.4028235e38,
    2 ** -25,
    2 ** -24,
    2 ** -25 * 1.0000001,
    6.0975552e-5,
    6.1035156e-5,
  );
  return Float32Array.from(v);
}
