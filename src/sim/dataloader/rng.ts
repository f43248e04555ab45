/** Seeded randomness so a simulated run with the same parameters gives the same trace, byte for byte. */
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

/**
 * Multiplicative noise with mean 1 and the given coefficient of variation: load times are skewed
 * (a few slow batches, never negative), which is what prefetching exists to absorb.
 */
export function lognormalFactor(rand: () => number, cv: number): () => number {
  if (cv <= 0) return () => 1;
  const sigma = Math.sqrt(Math.log(1 + cv * cv));
  const mu = -0.5 * sigma * sigma;
  return () => {
    const u = Math.max(rand(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    return Math.exp(mu + sigma * z);
  };
}
