import { groupsFor, readTaskShard, SHARD_GROUP_ROWS, writeTrainShard, type ShardFile } from '../../data/taskShards';
import { examplesPerRow, packBatch, SHARD_EXAMPLES, type AdditionTask, type Batch } from '../../model/task';

/**
 * The Train lab's source for the dataloader workers: the training stream as Parquet shards. Each
 * worker writes the shards its batches need from the run's seed (every shard is drawn from its own
 * seed, so any worker can write any one, as a preprocessing job would), keeps the file and its
 * CRC-32 as the manifest entry, and reads each batch back through the Parquet reader: only the
 * row groups the batch covers, checked against the CRC, the task's digits and the split.
 */
export interface TaskShardSpec {
  kind: 'task-shards';
  task: AdditionTask;
  streamSeed: number;
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
}

export function isTaskShardSpec(x: unknown): x is TaskShardSpec {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'task-shards';
}

/** Shard files a worker keeps: a batch spans at most two, and the stream only moves forward. */
const KEEP = 2;

export function examplesPerBatch(spec: Pick<TaskShardSpec, 'task' | 'batch' | 'context'>): number {
  return spec.batch * examplesPerRow(spec.task, spec.context);
}

export class TaskShardReader {
  private files = new Map<number, ShardFile>();
  /** Bytes of shard files this worker wrote (the "disk" it read from). */
  bytesWritten = 0;

  constructor(readonly spec: TaskShardSpec) {}

  private shard(k: number): ShardFile {
    let f = this.files.get(k);
    if (!f) {
      f = writeTrainShard(this.spec.task, this.spec.streamSeed, k);
      this.bytesWritten += f.bytes.length;
      this.files.set(k, f);
      if (this.files.size > KEEP) this.files.delete(this.files.keys().next().value!);
    }
    return f;
  }

  /** Batch `index` of the stream: examples index·E … index·E + E − 1, from the shards that hold them. */
  async load(index: number): Promise<TokenBatch> {
    const E = examplesPerBatch(this.spec);
    const first = index * E;
    const pairs: [number, number][] = [];
    for (let at = first; at < first + E;) {
      const k = Math.floor(at / SHARD_EXAMPLES);
      const end = Math.min(first + E, (k + 1) * SHARD_EXAMPLES);
      const from = at - k * SHARD_EXAMPLES;
      const groups = groupsFor(from, end - k * SHARD_EXAMPLES);
      const f = this.shard(k);
      const got = await readTaskShard(f.bytes, { split: 'train', index: k, task: this.spec.task, crc: f.crc, groups });
      const skip = from - groups[0] * SHARD_GROUP_ROWS;
      pairs.push(...got.slice(skip, skip + end - at));
      at = end;
    }
    return toTokenBatch(packBatch(this.spec.task, this.spec.context, pairs));
  }
}

export function toTokenBatch(b: Batch): TokenBatch {
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
