import { exactMatch } from '../accuracy';
import { initParams } from '../init';
import { answerLength, examplesPerRow, heldOutPairs, packBatch, TrainSampler, type Batch } from '../task';
import type { TrainBackend, StepTiming } from './backend';
import type { Checkpoint, CurvePoint, EvalPoint } from './checkpoint';
import { learningRate, type TrainSpec } from './hyper';

export type BackendFactory = (spec: TrainSpec, params: Float32Array) => Promise<TrainBackend>;

export interface StepRecord {
  /** Steps done after this one (1-based). */
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  /** Tokens the step processed: B·T. */
  tokens: number;
  /** Wall time of the step, batch building included. */
  ms: number;
  timing?: StepTiming;
}

/**
 * The training loop, the same for every backend: the schedule, the data stream, held-out
 * evaluation and checkpoints. The lab's worker, `npm run train`, the resume test and the peer
 * comparison all drive this class.
 */
export class Trainer {
  step: number;
  readonly train: CurvePoint[];
  readonly evals: EvalPoint[];
  private readonly heldOut: Batch[];

  private constructor(
    readonly spec: TrainSpec,
    readonly backend: TrainBackend,
    private readonly sampler: TrainSampler,
    from: { step: number; train: CurvePoint[]; evals: EvalPoint[] },
  ) {
    this.step = from.step;
    this.train = [...from.train];
    this.evals = [...from.evals];
    // The held-out set in chunks of at most B rows, so a backend sized for the batch can score it.
    const pairs = heldOutPairs(spec.task, spec.evalExamples);
    const perChunk = spec.model.batch * examplesPerRow(spec.task, spec.model.context);
    this.heldOut = [];
    for (let i = 0; i < pairs.length; i += perChunk)
      this.heldOut.push(packBatch(spec.task, spec.model.context, pairs.slice(i, i + perChunk)));
  }

  static async create(spec: TrainSpec, factory: BackendFactory): Promise<Trainer> {
    const backend = await factory(spec, initParams(spec.model, spec.seed));
    // The stream's seed differs from the weights' so the two draws are unrelated.
    return new Trainer(spec, backend, TrainSampler.fresh(spec.task, (spec.seed ^ 0x5bd1e995) >>> 0), {
      step: 0,
      train: [],
      evals: [],
    });
  }

  static async resume(ck: Checkpoint, factory: BackendFactory): Promise<Trainer> {
    const backend = await factory(ck.spec, ck.state.params);
    await backend.writeState(ck.state);
    return new Trainer(ck.spec, backend, new TrainSampler(ck.spec.task, ck.sampler), ck);
  }

  async trainStep(): Promise<StepRecord> {
    const start = performance.now();
    const batch = this.sampler.nextBatch(this.spec.model.batch, this.spec.model.context);
    const dataMs = performance.now() - start;
    const lr = learningRate(this.spec, this.step);
    const r = await this.backend.step(batch, lr, this.step + 1);
    this.step++;
    this.train.push({ step: this.step, loss: r.loss });
    const timing = r.timing ? { ...r.timing, data: r.timing.data + dataMs } : undefined;
    return {
      step: this.step,
      loss: r.loss,
      lr,
      gradNorm: r.gradNorm,
      tokens: this.spec.model.batch * this.spec.model.context,
      ms: performance.now() - start,
      timing,
    };
  }

  /** Loss (mean over answer digits) and exact-match accuracy on the held-out examples. */
  async evaluate(): Promise<EvalPoint> {
    let lossSum = 0;
    let digits = 0;
    let right = 0;
    let examples = 0;
    const len = answerLength(this.spec.task);
    for (const b of this.heldOut) {
      const r = await this.backend.evaluate(b);
      const n = b.answerStarts.length;
      lossSum += r.loss * n * len;
      digits += n * len;
      right += exactMatch(r.predictions, b, len) * n;
      examples += n;
    }
    const point = { step: this.step, loss: lossSum / digits, accuracy: right / examples };
    this.evals.push(point);
    return point;
  }

  async checkpoint(): Promise<Checkpoint> {
    return {
      spec: this.spec,
      step: this.step,
      sampler: this.sampler.state,
      train: [...this.train],
      evals: [...this.evals],
      state: await this.backend.readState(),
    };
  }

  dispose(): void {
    this.backend.dispose();
  }
}
