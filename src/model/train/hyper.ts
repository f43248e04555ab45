import type { GptConfig } from '../config';
import type { AdditionTask } from '../task';

/** Everything that decides a training run besides the data position: a checkpoint stores it whole. */
export interface TrainSpec {
  model: GptConfig;
  task: AdditionTask;
  /** Seed of the initial weights and of the training stream. */
  seed: number;
  /** Steps the schedule is laid out for (the cosine reaches its floor here). */
  steps: number;
  /** Peak learning rate. */
  lr: number;
  /** Linear warm-up steps from lr/warmup to lr. */
  warmup: number;
  /** The cosine's floor as a fraction of lr (nanoGPT: 0.1). */
  minLrRatio: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Global gradient-norm clip (1.0 in GPT-2/nanoGPT). */
  clip: number;
  /** Held-out examples scored at each evaluation. */
  evalExamples: number;
  /**
   * Mixed precision (GPU step): gradients stored in fp16 through the cast kernel, times a loss
   * scale S that starts at initScale, halves on an overflow (the step skipped) and doubles after
   * growthInterval clean steps; growthInterval 0 keeps S fixed. Absent: float32 throughout.
   */
  mixed?: { initScale: number; growthInterval: number };
}

/** nanoGPT-like defaults, with a higher learning rate because the model is tiny. */
export function defaultSpec(model: GptConfig, task: AdditionTask, seed = 1): TrainSpec {
  return {
    model,
    task,
    seed,
    steps: 2000,
    lr: 3e-3,
    warmup: 50,
    minLrRatio: 0.1,
    weightDecay: 0.1,
    beta1: 0.9,
    beta2: 0.99,
    eps: 1e-8,
    clip: 1,
    evalExamples: 256,
  };
}

/**
 * Learning rate at step s (0-based): linear warm-up over `warmup` steps, then a cosine from lr
 * down to lr·minLrRatio at `steps`, held there after (Loshchilov & Hutter 2017; nanoGPT's get_lr).
 */
export function learningRate(spec: TrainSpec, s: number): number {
  const min = spec.lr * spec.minLrRatio;
  if (s < spec.warmup) return (spec.lr * (s + 1)) / spec.warmup;
  if (s >= spec.steps) return min;
  const progress = (s - spec.warmup) / Math.max(1, spec.steps - spec.warmup);
  return min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (spec.lr - min);
}
