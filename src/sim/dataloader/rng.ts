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
