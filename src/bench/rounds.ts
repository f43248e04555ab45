import { median, spread, type TimingOptions, type TimingSource } from '../gpu/timing';

/*
 * Interleaved timing rounds shared by every bench suite that compares implementations side by
 * side (our kernels and peer libraries): same protocol, same medians, for every lab.
 */

/** One implementation in the rounds: takes one sample of `repeats` runs (or calibrates). */
export interface Contender {
  name: string;
  sample(opts: TimingOptions): Promise<{ ms: number; repeats: number; timing: TimingSource }>;
}

export interface RoundPlan {
  rounds: number;
  /** How to size each contender's sample once before the rounds; null: one run per sample, no calibration. */
  calibrate: TimingOptions | null;
}

/**
 * Rounds and sample sizes for a product of `flops`. On a CPU adapter one run of a 1024³ product
 * takes seconds, so there each sample is a single run and the correctness check was the warm-up.
 */
export function roundPlan(software: boolean, flops: number): RoundPlan {
  if (software && flops > 5e8) return { rounds: 3, calibrate: null };
  if (software) return { rounds: 5, calibrate: { minSampleMs: 5, maxRepeats: 8 } };
  return { rounds: 7, calibrate: { minSampleMs: 5 } };
}

export interface RoundResult {
  medianMs: number;
  spreadMs: number;
  samplesMs: number[];
  timing: TimingSource;
}

/**
 * Times every contender once per round, in a rotated order, and reports each one's median over
 * the rounds: a load change on the machine (another process, thermal throttling) lands on all of
 * them alike instead of on whichever happened to be timed then. A first untimed pass warms each
 * one up and fixes its runs per sample, so every round costs the same.
 */
export async function timeInRounds(
  contenders: Contender[],
  plan: RoundPlan,
  progress: (text: string) => void = () => {},
): Promise<RoundResult[]> {
  const repeats = contenders.map(() => 1);
  if (plan.calibrate) {
    for (const [i, c] of contenders.entries()) {
      progress(`warm-up and calibration: ${c.name}`);
      repeats[i] = (await c.sample({ ...plan.calibrate, warmup: 0, samples: 1 })).repeats;
    }
  }
  const samples: number[][] = contenders.map(() => []);
  const timing: TimingSource[] = contenders.map(() => 'wallclock');
  for (let round = 0; round < plan.rounds; round++) {
    progress(`round ${round + 1} of ${plan.rounds}`);
    for (let j = 0; j < contenders.length; j++) {
      const i = (round + j) % contenders.length;
      const r = await contenders[i].sample({ warmup: 0, samples: 1, repeats: repeats[i] });
      samples[i].push(r.ms);
      timing[i] = r.timing;
    }
  }
  return samples.map((xs, i) => ({ medianMs: median(xs), spreadMs: spread(xs), samplesMs: xs, timing: timing[i] }));
}
