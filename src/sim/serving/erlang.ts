/**
 * Closed forms for the M/M/c queue (Poisson arrivals at rate λ, exponential service at rate μ per
 * server, c servers, one FCFS queue): Erlang C, the probability that an arrival waits, and the
 * mean wait Wq = C / (cμ − λ). The discrete-event simulation of the RAG pipeline is checked
 * against these (test/sim/serving-rag.test.ts).
 */
export function erlangB(c: number, a: number): number {
  // The recursion B(k) = a B(k−1) / (k + a B(k−1)) is stable for thousands of servers.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

export function erlangC(c: number, a: number): number {
  if (!(a >= 0) || !Number.isInteger(c) || c < 1)
    throw new RangeError(`Erlang C needs c ≥ 1 servers and load a ≥ 0; got c = ${c}, a = ${a}.`);
  if (a >= c) return 1;
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

export interface MmcResult {
  /** Utilisation per server, λ / (cμ). */
  rho: number;
  pWait: number;
  /** Mean time in queue, seconds (Infinity when unstable). */
  wq: number;
  /** Mean time in system, wait + service. */
  w: number;
  /** Mean queue length (Little's law). */
  lq: number;
}

export function mmc(lambda: number, mu: number, c: number): MmcResult {
  const a = lambda / mu;
  const rho = a / c;
  if (rho >= 1) return { rho, pWait: 1, wq: Infinity, w: Infinity, lq: Infinity };
  const pWait = erlangC(c, a);
  const wq = pWait / (c * mu - lambda);
  return { rho, pWait, wq, w: wq + 1 / mu, lq: lambda * wq };
}

/** P(wait > t) in M/M/c: C · exp(−(cμ − λ) t); its inverse gives the waiting-time quantile. */
export function mmcWaitQuantile(lambda: number, mu: number, c: number, p: number): number {
  const r = mmc(lambda, mu, c);
  if (r.rho >= 1) return Infinity;
  const tail = 1 - p;
  if (r.pWait <= tail) return 0;
  return Math.log(r.pWait / tail) / (c * mu - lambda);
}
