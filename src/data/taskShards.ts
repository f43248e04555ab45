import { crc32 } from '../model/train/checkpoint';
import { heldOutPairs, isHeldOut, type AdditionTask } from '../model/task';
import { DataFormatError } from './errors';
import { readParquet, readParquetMetadata, writeParquet } from './parquet';

/**
 * The Train lab's data as Parquet shards, written and read by the data-formats lab's code (the
 * hyparquet writer and our checked reader). A shard holds one split's examples as two INT32
 * columns, `a` and `b` (the operands: the text, tokens and targets follow from them), in stream
 * order, cut into row groups of SHARD_GROUP_ROWS so a reader decodes only the groups a batch
 * covers. Each shard's CRC-32 goes into the manifest that names it (Parquet's own page checksums
 * are optional and hyparquet-writer does not write them), so a flipped bit anywhere is caught.
 */
export const SHARD_GROUP_ROWS = 512;

/** Training examples per shard file (8 row groups). */
export const SHARD_EXAMPLES = 4096;

export type ShardSplit = 'train' | 'heldout';

export interface ShardFile {
  split: ShardSplit;
  /** Shard number within the split (training shard k holds the stream's examples k·SHARD_EXAMPLES …). */
  index: number;
  bytes: Uint8Array<ArrayBuffer>;
  rows: number;
  /** CRC-32 of the file's bytes, as the manifest records it. */
  crc: number;
}

export type ShardProblem = 'checksum' | 'format' | 'values' | 'split';

/** A shard the trainer must not train on, with a message that names the shard and the problem. */
export class ShardError extends Error {
  constructor(
    readonly problem: ShardProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ShardError';
  }
}

const label = (split: ShardSplit, index: number) =>
  split === 'train' ? `Training shard ${index}` : `Held-out shard ${index}`;

export function writeTaskShard(split: ShardSplit, index: number, pairs: [number, number][]): ShardFile {
  const a = Int32Array.from(pairs, (p) => p[0]);
  const b = Int32Array.from(pairs, (p) => p[1]);
  const bytes = writeParquet(
    { rows: pairs.length, names: ['a', 'b'], columns: { a, b }, features: [] },
    // Operands are small integers in sequence-free order: dictionary encoding would win only for 1 digit.
    { codec: 'SNAPPY', rowGroupRows: SHARD_GROUP_ROWS, encoding: 'plain' },
  );
  return { split, index, bytes, rows: pairs.length, crc: crc32(bytes) };
}

/** The held-out split: the fixed examples every evaluation scores, as one shard. */
export function writeHeldOutShard(task: AdditionTask, count: number): ShardFile {
  return writeTaskShard('heldout', 0, heldOutPairs(task, count));
}

export interface ShardReadOptions {
  split: ShardSplit;
  index: number;
  task: AdditionTask;
  /** The manifest's CRC-32; checked before anything is parsed. */
  crc?: number;
  /** Row groups to decode (default all). */
  groups?: number[];
}

/**
 * The operand pairs of a shard (of the row groups asked for), after checking its CRC, its Parquet
 * structure, that every operand has the task's digits and that every pair belongs to the split
 * the shard claims. Throws ShardError naming the shard.
 */
export async function readTaskShard(bytes: Uint8Array, o: ShardReadOptions): Promise<[number, number][]> {
  const name = label(o.split, o.index);
  if (o.crc !== undefined) {
    const actual = crc32(bytes);
    if (actual !== o.crc)
      throw new ShardError(
        'checksum',
        `${name} fails its CRC-32 (manifest ${o.crc.toString(16)}, file ${actual.toString(16)}): the file is corrupt; not training on it.`,
      );
  }
  let cols: { a: Int32Array; b: Int32Array };
  try {
    const meta = readParquetMetadata(bytes);
    const r = await readParquet(bytes, { columns: ['a', 'b'], groups: o.groups, meta });
    cols = { a: r.columns.a as Int32Array, b: r.columns.b as Int32Array };
  } catch (e) {
    if (e instanceof DataFormatError) throw new ShardError('format', `${name}: ${e.message}`);
    throw e;
  }
  const n = 10 ** o.task.digits;
  const out: [number, number][] = [];
  for (let i = 0; i < cols.a.length; i++) {
    const a = cols.a[i];
    const b = cols.b[i];
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < n && b < n))
      throw new ShardError(
        'values',
        `${name}, row ${i}: operands ${a} and ${b} are not ${o.task.digits}-digit numbers.`,
      );
    if (isHeldOut(o.task, a, b) !== (o.split === 'heldout'))
      throw new ShardError(
        'split',
        `${name}, row ${i}: the pair ${a}+${b} belongs to the ${o.split === 'train' ? 'held-out' : 'training'} split.`,
      );
    out.push([a, b]);
  }
  return out;
}

/** Row groups of a training shard that examples [from, to) of the shard (0-based within it) fall in. */
export function groupsFor(from: number, to: number): number[] {
  const out: number[] = [];
  for (let g = Math.floor(from / SHARD_GROUP_ROWS); g * SHARD_GROUP_ROWS < to; g++) out.push(g);
  return out;
}
