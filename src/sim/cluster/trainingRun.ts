/**
 * The whole data-parallel job without workers: for each step, every rank's local gradient, the
 * ring all-reduce's exact sum (ringAllReduceSync), the same optimizer update. The browser
 * mini-cluster must reproduce this bit for bit; tests hold it to that, and the live panel shows
 * this run's final loss beside the workers' as the uninterrupted reference.
 */
import { ringAllReduceSync } from './allreduce';
import {
  applyUpdate,
  checkTrainConfig,
  cloneState,
  globalBatch,
  initState,
  localGradient,
  rankBatch,
  type TrainConfig,
  type TrainState,
} from './training';

export interface StepRecord {
  step: number;
  /** Mean training loss of the global batch (ranks' loss sums added in rank order). */
  loss: number;
  world: number;
}

export interface ReferenceRun {
  records: StepRecord[];
  state: TrainState;
  /** Global batch sample ids per step, for data-order checks. */
  batches?: Int32Array[];
}

/** The summed local losses, in rank order, over the global batch: what the job reports per step. */
export function stepLoss(lossSums: number[], batch: number): number {
  let s = 0;
  for (const x of lossSums) s += x;
  return s / batch;
}

/**
 * One data-parallel step on `world` ranks, emulated: returns the new state (mutated in place)
 * and the step's loss.
 */
export function referenceStep(c: TrainConfig, state: TrainState, world: number): StepRecord {
  const step = state.step;
  const locals = Array.from({ length: world }, (_, r) => localGradient(c, state.params, rankBatch(c, step, world, r)));
  const sum = ringAllReduceSync(locals.map((l) => l.grad));
  applyUpdate(c, state, sum);
  return {
    step,
    loss: stepLoss(
      locals.map((l) => l.lossSum),
      c.batch,
    ),
    world,
  };
}

export interface ReferenceOptions {
  /** World size at each step (default 1): an elastic restart is a change of world size. */
  world?: number | ((step: number) => number);
  from?: TrainState;
  /** Stop after this many completed steps (default c.steps). */
  until?: number;
  keepBatches?: boolean;
}

export function trainReference(c: TrainConfig, opts: ReferenceOptions = {}): ReferenceRun {
  checkTrainConfig(c);
  const state = opts.from ? cloneState(opts.from) : initState(c);
  const until = opts.until ?? c.steps;
  const worldAt = typeof opts.world === 'function' ? opts.world : () => (opts.world as number | undefined) ?? 1;
  const records: StepRecord[] = [];
  const batches: Int32Array[] = [];
  while (state.step < until) {
    if (opts.keepBatches) batches.push(globalBatch(c, state.step));
    records.push(referenceStep(c, state, worldAt(state.step)));
  }
  return { records, state, batches: opts.keepBatches ? batches : undefined };
}
