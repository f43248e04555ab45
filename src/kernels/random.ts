/**
 * xorshift32 (Marsaglia 2003): a tiny seeded generator, so kernel inputs, traces and test failures
 * reproduce from a seed on every platform. Not for anything that needs statistical quality.
 */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Uniform in [0, 1) from the top 24 bits of the state: exactly representable as a float32. */
export function seededUniform(seed: number): () => number {
  const next = xorshift32(seed);
  return () => (next() >>> 8) / 2 ** 24;
}

/** `n` float32 values uniform in [lo, hi), the same for the same seed. */
export function seededFloats(n: number, seed: number, lo = -1, hi = 1): Float32Array<ArrayBuffer> {
  const u = seededUniform(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + u() * (hi - lo);
  return out;
}

/**
 * mulberry32 (Tommy Ettinger): uniform in [0, 1) with a full 32-bit state step, for simulations
 * and hidden test cases that draw many values and must give the same trace on every machine.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
