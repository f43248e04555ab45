import { mulberry32 } from '../../kernels/random';

/** A small seeded PRNG (mulberry32): the same seed gives the same trace on every machine. */
export class Rng {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
  }

  /** Standard normal by Box–Muller (one value per call; simplicity over speed). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Exponential inter-arrival gap of a Poisson process with `rate` events per second. */
  exponential(rate: number): number {
    return -Math.log(Math.max(1 - this.next(), 1e-12)) / rate;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
}
