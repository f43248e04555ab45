import { exactMatch } from '../accuracy';
import { initParams } from '../init';
import { answerLength, examplesPerRow, packBatch, streamSeedOf, TrainSampler, type Batch } from '../task';
import { readTaskShard, writeHeldOutShard } from '../../data/taskShards';
import type { StepResult, StepTiming, TrainBackend } from './backend';
import type { Checkpoint, CurvePoint, EvalPoint } from './checkpoint';
import { learningRate, type TrainSpec } from './hyper';

export type BackendFactory = (spec: TrainSpec, params: Float32Array) => Promise<TrainBackend>;

/**
 * Where the training batches come from: the sampler in this thread, or the dataloader workers
 * streaming Parquet shards (src/workers/shardStream.ts). Both give the same batches.
 */
export interface BatchSource {
  /** What feeds the trainer, in words for the page. */
  readonly name: string;
  next(): Batch | Promise<Batch>;
  /** The sampler state after the batches taken so far (what a checkpoint stores). */
  readonly state: { rng: number; position: number };
  dispose(): void;
}

/** Opens the batch stream of a run at a data position (sampler state); the default draws in this thread. */
export type DataFactory = (spec: TrainSpec, state: { rng: number; position: number } | null) => Promise<BatchSource>;

export const inlineData: DataFactory = async (spec, state) => {
  const s = state ? new TrainSampler(spec.task, state) : TrainSampler.fresh(spec.task, streamSeedOf(spec.seed));
  return {
    name: 'generated in the training thread',
    next: () => s.nextBatch(spec.model.batch, spec.model.context),
    get state() {
      return s.state;
    },
    dispose() {},
  };
};

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
  /** Wall time the trainer waited for this step's batch. */
  dataMs: number;
  /** Mixed precision: loss scale, overflow skip and fp16 underflow of this step. */
  mixed?: StepResult['mixed'];
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
    readonly data: BatchSource,
    heldOut: [number, number][],
    from: { step: number; train: CurvePoint[]; evals: EvalPoint[] },
  ) {
    this.step = from.step;
    this.train = [...from.train];
    this.evals = [...from.evals];
    // The held-out set in chunks of at most B rows, so a backend sized for the batch can score it.
    const perChunk = spec.model.batch * examplesPerRow(spec.task, spec.model.context);
    this.heldOut = [];
    for (let i = 0; i < heldOut.length; i += perChunk)
      this.heldOut.push(packBatch(spec.task, spec.model.context, heldOut.slice(i, i + perChunk)));
  }

  /** The held-out split, written as a Parquet shard and read back through the checked reader. */
  private static async heldOutSplit(spec: TrainSpec): Promise<[number, number][]> {
    const f = writeHeldOutShard(spec.task, spec.evalExamples);
    return readTaskShard(f.bytes, { split: 'heldout', index: 0, task: spec.task, crc: f.crc });
  }

  static async create(spec: TrainSpec, factory: BackendFactory, data: DataFactory = inlineData): Promise<Trainer> {
    const heldOut = await Trainer.heldOutSplit(spec);
    const backend = await factory(spec, initParams(spec.model, spec.seed));
    let source: BatchSource;
    try {
      source = await data(spec, null);
    } catch (e) {
      backend.dispose();
      throw e;
    }
    return new Trainer(spec, backend, source, heldOut, { step: 0, train: [], evals: [] });
  }

  static async resume(ck: Checkpoint, factory: BackendFactory, data: DataFactory = inlineData): Promise<Trainer> {
    const heldOut = await Trainer.heldOutSplit(ck.spec);
    const backend = await factory(ck.spec, ck.state.params);
    let source: BatchSource;
    try {
      await backend.writeState(ck.state);
      if (ck.scaler && backend.scaler) backend.scaler = { ...ck.scaler };
      source = await data(ck.spec, ck.sampler);
    } catch (e) {
      backend.dispose();
      throw e;
    }
    return new Trainer(ck.spec, backend, source, heldOut, ck);
  }

  async trainStep(): Promise<StepRecord> {
    const start = performance.now();
    const batch = await this.data.next();
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
      dataMs,
      timing,
      mixed: r.mixed,
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
      sampler: this.data.state,
      train: [...this.train],
      evals: [...this.evals],
      state: await this.backend.readState(),
      ...(this.backend.scaler ? { scaler: { ...this.backend.scaler } } : {}),
    };
  }

  dispose(): void {
    this.data.dispose();
    this.backend.dispose();
  }
}
