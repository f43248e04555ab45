/**
 * Closed forms for checkpoint intervals under exponentially distributed failures with mean time
 * between failures M (the whole job's, i.e. 1 / (GPUs × failures per GPU-hour)):
 *  - Young 1974 ("A first order approximation to the optimum checkpoint interval"): τ ≈ √(2·C·M).
 *  - Daly 2006 ("A higher order estimate of the optimum checkpoint interval for restart dumps"):
 *    τ = √(2CM)·[1 + ⅓·√(C/2M) + (1/9)·(C/2M)] − C for C < 2M, else M; and the expected wall time
 *    of one segment of τ work followed by a checkpoint of C, with restart R after each failure and
 *    failures striking at any moment (during checkpoints and restarts too): M·e^{R/M}·(e^{(τ+C)/M} − 1).
 */
export function youngInterval(checkpointH: number, mtbfH: number): number {
  return Math.sqrt(2 * checkpointH * mtbfH);
}

export function dalyInterval(checkpointH: number, mtbfH: number): number {
  if (checkpointH >= 2 * mtbfH) return mtbfH;
  const r = checkpointH / (2 * mtbfH);
  return Math.sqrt(2 * checkpointH * mtbfH) * (1 + Math.sqrt(r) / 3 + r / 9) - checkpointH;
}

/** Expected share of wall time that is kept training progress, for interval τ (Daly 2006's model). */
export function expectedGoodput(intervalH: number, checkpointH: number, restartH: number, mtbfH: number): number {
  const segment = mtbfH * Math.exp(restartH / mtbfH) * Math.expm1((intervalH + checkpointH) / mtbfH);
  return intervalH / segment;
}

/** The interval that maximises `expectedGoodput`, by golden-section search on [lo, hi]. */
export function optimalInterval(
  checkpointH: number,
  restartH: number,
  mtbfH: number,
  lo = 1e-4,
  hi = 10 * mtbfH,
): number {
  const f = (t: number) => expectedGoodput(t, checkpointH, restartH, mtbfH);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  for (let i = 0; i < 200; i++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (f(c) > f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}

/** Llama 3 (Meta 2024, §3.3.4): 419 unexpected interruptions in 54 days of pre-training on 16,384 H100s. */
export const LLAMA3_FAILURES = { interruptions: 419, days: 54, gpus: 16384 } as const;

/** Unexpected interruptions per GPU-hour implied by the Llama 3 figures (≈ 1.97e-5). */
export const LLAMA3_RATE_PER_GPU_HOUR =
  LLAMA3_FAILURES.interruptions / (LLAMA3_FAILURES.days * 24 * LLAMA3_FAILURES.gpus);
