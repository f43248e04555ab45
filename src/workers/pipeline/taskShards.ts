import {
  groupsFor,
  readTaskShard,
  SHARD_EXAMPLES,
  SHARD_GROUP_ROWS,
  writeTaskShard,
  type ShardFile,
} from '../../data/taskShards';
import { examplesPerRow, packBatch, TrainSampler, type AdditionTask, type Batch } from '../../model/task';

/** The training sampler's state: its generator's one integer and the examples drawn. */
export interface SamplerState {
  rng: number;
  position: number;
}

/**
 * The Train lab's source for the dataloader workers: the training stream as Parquet shards. The
 * stream is the run's seeded sampler from `origin` (a fresh run's first state, or a checkpoint's),
 * cut into shards of SHARD_EXAMPLES examples. Each worker writes the shards its batches fall in
 * (walking the sampler forward, as a preprocessing job walks its input once), keeps each file with
 * its CRC-32 and the generator state at its first row (the manifest entry), and reads every batch
 * back through the Parquet reader: only the row groups the batch covers, checked against the CRC,
 * the task's digits and the split.
 */
export interface TaskShardSpec {
  kind: 'task-shards';
  task: AdditionTask;
  origin: SamplerState;
  /** Rows per batch and tokens per row (the model's B and T). */
  batch: number;
  context: number;
}

/** A batch as it crosses threads: the task's Batch with its pairs flattened to [a0, b0, a1, b1, …]. */
export interface TokenBatch {
  rows: number;
  context: number;
  inputs: Int32Array;
  targets: Int32Array;
  answerStarts: Int32Array;
  pairs: Int32Array;
  /** The sampler's state after this batch (what a checkpoint taken after it stores). */
  after: SamplerState;
}

export function isTaskShardSpec(x: unknown): x is TaskShardSpec {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'task-shards';
}

export function examplesPerBatch(spec: Pick<TaskShardSpec, 'task' | 'batch' | 'context'>): number {
  return spec.batch * examplesPerRow(spec.task, spec.context);
}

/** Shard files a worker keeps: a batch spans at most two, and the stream only moves forward. */
const KEEP = 2;

interface Entry {
  file: ShardFile;
  /** The generator's state at the shard's first example. */
  start: SamplerState;
}

export class TaskShardReader {
  private files = new Map<number, Entry>();
  private cursor: TrainSampler;
  /** The shard whose first example the cursor stands at. */
  private cursorShard = 0;
  /** Bytes of shard files this worker wrote (the "disk" it read from). */
  bytesWritten = 0;

  constructor(readonly spec: TaskShardSpec) {
    this.cursor = new TrainSampler(spec.task, spec.origin);
  }

  /** Shard j of the stream from the origin: written on first use, walking the sampler forward to it. */
  shard(j: number): Entry {
    let e = this.files.get(j);
    if (e) return e;
    if (j < this.cursorShard) {
      // Only a replacement worker asked for an old batch gets here: walk again from the origin.
      this.cursor = new TrainSampler(this.spec.task, this.spec.origin);
      this.cursorShard = 0;
    }
    for (; this.cursorShard < j; this.cursorShard++) for (let i = 0; i < SHARD_EXAMPLES; i++) this.cursor.nextPair();
    const start = this.cursor.state;
    const pairs: [number, number][] = [];
    for (let i = 0; i < SHARD_EXAMPLES; i++) pairs.push(this.cursor.nextPair());
    this.cursorShard++;
    e = { file: writeTaskShard('train', j, pairs), start };
    this.bytesWritten += e.file.bytes.length;
    this.files.set(j, e);
    if (this.files.size > KEEP) this.files.delete(this.files.keys().next().value!);
    return e;
  }

  /** Batch `index` after the origin: examples index·E … index·E + E − 1, from the shards that hold them. */
  async load(index: number): Promise<TokenBatch> {
    const E = examplesPerBatch(this.spec);
    const first = index * E;
    const pairs: [number, number][] = [];
    let last: Entry | null = null;
    for (let at = first; at < first + E;) {
      const j = Math.floor(at / SHARD_EXAMPLES);
      const end = Math.min(first + E, (j + 1) * SHARD_EXAMPLES);
      const from = at - j * SHARD_EXAMPLES;
      const groups = groupsFor(from, end - j * SHARD_EXAMPLES);
      last = this.shard(j);
      const f = last.file;
      const got = await readTaskShard(f.bytes, { split: 'train', index: j, task: this.spec.task, crc: f.crc, groups });
      const skip = from - groups[0] * SHARD_GROUP_ROWS;
      pairs.push(...got.slice(skip, skip + end - at));
      at = end;
    }
    // The state after the batch: from the last shard's first state, the draws up to the batch's end.
    const s = new TrainSampler(this.spec.task, last!.start);
    const inShard = first + E - Math.floor((first + E - 1) / SHARD_EXAMPLES) * SHARD_EXAMPLES;
    for (let i = 0; i < inShard; i++) s.nextPair();
    return { ...toTokenBatch(packBatch(this.spec.task, this.spec.context, pairs)), after: s.state };
  }
}

export function toTokenBatch(b: Batch): Omit<TokenBatch, 'after'> {
  return {
    rows: b.rows,
    context: b.context,
    inputs: b.inputs,
    targets: b.targets,
    answerStarts: b.answerStarts,
    pairs: Int32Array.from(b.pairs.flat()),
  };
}

export function fromTokenBatch(t: TokenBatch): Batch {
  const pairs: [number, number][] = [];
  for (let i = 0; i < t.pairs.length; i += 2) pairs.push([t.pairs[i], t.pairs[i + 1]]);
  return {
    rows: t.rows,
    context: t.context,
    inputs: t.inputs,
    targets: t.targets,
    answerStarts: t.answerStarts,
    pairs,
  };
}

/** The buffers a TokenBatch can hand over without a copy. */
export function tokenBuffers(t: TokenBatch): ArrayBuffer[] {
  return [t.inputs, t.targets, t.answerStarts, t.pairs].map((a) => a.buffer as ArrayBuffer);
}
