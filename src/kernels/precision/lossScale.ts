/**
 * Dynamic loss scaling (Micikevicius et al. 2018; PyTorch's torch.amp.GradScaler): multiply the
 * loss, hence every gradient, by a scale S before the fp16 backward pass so small gradients stay
 * above fp16's underflow; if any scaled gradient overflows to ∞, skip the optimizer step and halve
 * S; after K steps in a row without overflow, double S. GradScaler's defaults: S₀ = 2^16, growth 2,
 * backoff 0.5, K = 2000. Pure code over simulated steps; the counts come from the same rounding
 * as the CPU reference of the GPU kernel.
 */
import { FP16, castCounts } from './reference';
import { logNormalGradient } from './inputs';

export interface LossScaleConfig {
  steps: number;
  /** K: clean steps before the scale doubles. */
  growthInterval: number;
  initScale: number;
  /** Gradient values drawn per simulated step. */
  values: number;
  seed: number;
  /** log10 of the median |gradient| at the first and at the last step (gradients shrink as loss falls). */
  medianStart: number;
  medianEnd: number;
  sigma: number;
}

export const DEFAULT_LOSS_SCALE: LossScaleConfig = {
  steps: 200,
  growthInterval: 20,
  initScale: 2 ** 16,
  values: 2048,
  seed: 3,
  medianStart: -4,
  medianEnd: -6,
  sigma: 1.5,
};

export interface LossScaleStep {
  step: number;
  /** Scale used at this step. */
  scale: number;
  /** Some scaled gradient overflowed: the step is skipped and the scale halves. */
  overflow: boolean;
  /** Fractions of nonzero gradients that became zero in fp16 with this scale, and with none. */
  underflow: number;
  underflowUnscaled: number;
  subnormal: number;
}

export interface LossScaleRun {
  steps: LossScaleStep[];
  skipped: number;
  finalScale: number;
  /** Mean underflow fraction over applied steps, with the dynamic scale and with none. */
  meanUnderflow: number;
  meanUnderflowUnscaled: number;
}

/** The scaler's rule, alone: the next (scale, clean-step count) after a step. */
export function nextScale(
  scale: number,
  clean: number,
  overflow: boolean,
  growthInterval: number,
): { scale: number; clean: number } {
  if (overflow) return { scale: Math.max(1, scale / 2), clean: 0 };
  if (clean + 1 >= growthInterval) return { scale: Math.min(2 ** 32, scale * 2), clean: 0 };
  return { scale, clean: clean + 1 };
}

export function checkLossScaleConfig(c: LossScaleConfig): void {
  if (!Number.isInteger(c.steps) || c.steps < 1 || c.steps > 10_000)
    throw new RangeError(`steps must be 1…10000, got ${c.steps}.`);
  if (!Number.isInteger(c.growthInterval) || c.growthInterval < 1)
    throw new RangeError(`growth interval K must be a whole number ≥ 1, got ${c.growthInterval}.`);
  const k = Math.log2(c.initScale);
  if (!Number.isInteger(k) || k < 0 || k > 32)
    throw new RangeError(`initial scale must be a power of two from 1 to 2^32, got ${c.initScale}.`);
  if (!Number.isInteger(c.values) || c.values < 1 || c.values > 1 << 20)
    throw new RangeError(`values per step must be 1…1048576, got ${c.values}.`);
}

export function simulateLossScale(c: LossScaleConfig = DEFAULT_LOSS_SCALE): LossScaleRun {
  checkLossScaleConfig(c);
  let scale = c.initScale;
  let clean = 0;
  const steps: LossScaleStep[] = [];
  let skipped = 0;
  let sumU = 0;
  let sumU1 = 0;
  for (let t = 0; t < c.steps; t++) {
    const median = c.medianStart + ((c.medianEnd - c.medianStart) * t) / Math.max(1, c.steps - 1);
    const g = logNormalGradient({ n: c.values, seed: (c.seed * 7919 + t) >>> 0, median, sigma: c.sigma });
    const scaled = castCounts(g, scale, FP16);
    const plain = castCounts(g, 1, FP16);
    const overflow = scaled.overflow > 0;
    steps.push({
      step: t,
      scale,
      overflow,
      underflow: scaled.underflow / c.values,
      underflowUnscaled: plain.underflow / c.values,
      subnormal: scaled.subnormal / c.values,
    });
    if (overflow) skipped++;
    else {
      sumU += scaled.underflow / c.values;
      sumU1 += plain.underflow / c.values;
    }
    ({ scale, clean } = nextScale(scale, clean, overflow, c.growthInterval));
  }
  const applied = c.steps - skipped;
  return {
    steps,
    skipped,
    finalScale: scale,
    meanUnderflow: applied ? sumU / applied : 0,
    meanUnderflowUnscaled: applied ? sumU1 / applied : 0,
  };
}
