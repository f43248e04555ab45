import { describe, expect, it } from 'vitest';
import {
  readTaskShard,
  SHARD_EXAMPLES,
  ShardError,
  writeHeldOutShard,
  writeTaskShard,
} from '../../src/data/taskShards';
import { heldOutPairs, streamSeedOf, TrainSampler, type AdditionTask } from '../../src/model/task';
import { VOCAB } from '../../src/model/tokenizer';
import { CpuBackend } from '../../src/model/train/cpuBackend';
import { defaultSpec } from '../../src/model/train/hyper';
import { inlineData, Trainer } from '../../src/model/train/trainer';
import { nodeWorkerFactory } from '../../src/workers/node/nodeFactory';
import { TaskShardReader, type TaskShardSpec } from '../../src/workers/pipeline/taskShards';
import { openShardStream, shardData } from '../../src/workers/shardStream';

const task: AdditionTask = { digits: 1, splitSeed: 1 };

describe('the training stream as Parquet shards', () => {
  it('a shard holds exactly the stream’s examples, and the state after a batch is the sampler’s', async () => {
    const origin = TrainSampler.fresh(task, streamSeedOf(5)).state;
    const reader = new TaskShardReader({ kind: 'task-shards', task, origin, batch: 64, context: 128 });
    const s = new TrainSampler(task, origin);
    for (const k of [0, 1]) {
      const { file } = reader.shard(k);
      const pairs = await readTaskShard(file.bytes, { split: 'train', index: k, task, crc: file.crc });
      expect(pairs.length).toBe(SHARD_EXAMPLES);
      for (let i = 0; i < SHARD_EXAMPLES; i++) expect(pairs[i]).toEqual(s.nextPair());
    }
    // Batch 3 (examples 4,032–5,375) spans shards 0 and 1.
    const b = await reader.load(3);
    const ref = new TrainSampler(task, origin);
    for (let i = 0; i < 3; i++) ref.nextBatch(64, 128);
    expect(Array.from(b.pairs)).toEqual(ref.nextBatch(64, 128).pairs.flat());
    expect(b.after).toEqual(ref.state);
    const held = writeHeldOutShard(task, 40);
    expect(await readTaskShard(held.bytes, { split: 'heldout', index: 0, task })).toEqual(heldOutPairs(task, 40));
  });

  it('a corrupt shard is refused with a named error', async () => {
    const f = writeTaskShard('train', 0, new TrainSampler(task, { rng: 7, position: 0 }).nextBatch(64, 128).pairs);
    const flipped = f.bytes.slice();
    flipped[200] ^= 0x10;
    const read = (bytes: Uint8Array, crc?: number) => readTaskShard(bytes, { split: 'train', index: 0, task, crc });
    await expect(read(flipped, f.crc)).rejects.toThrow(/Training shard 0 fails its CRC-32/);
    await expect(read(flipped, f.crc)).rejects.toBeInstanceOf(ShardError);
    // Without the manifest's checksum, a cut file is still named by the Parquet reader's checks.
    await expect(read(f.bytes.slice(0, f.bytes.length - 10))).rejects.toThrow(
      /Training shard 0: Parquet footer missing/,
    );
    // A shard of the held-out split offered as training data is refused, not trained on.
    const held = writeHeldOutShard(task, 10);
    await expect(read(held.bytes)).rejects.toThrow(/belongs to the held-out split/);
  });

  it('the dataloader workers stream exactly the seeded task’s batches, across shards and after a resume', async () => {
    const factory = await nodeWorkerFactory();
    // 1-digit sums, 21 examples per 128-token row, 64 rows: 1,344 examples a batch, so batch 3 spans shards 0 and 1.
    const origin = TrainSampler.fresh(task, streamSeedOf(3)).state;
    const spec: TaskShardSpec = { kind: 'task-shards', task, origin, batch: 64, context: 128 };
    const reference = new TrainSampler(task, origin);
    const stream = await openShardStream(spec, 6, factory, { workers: 2, prefetch: 2 });
    let after4 = origin;
    try {
      for (let i = 0; i < 6; i++) {
        const want = reference.nextBatch(64, 128);
        const got = await stream.next();
        expect(got.pairs, `batch ${i}`).toEqual(want.pairs);
        expect(got.inputs).toEqual(want.inputs);
        expect(got.targets).toEqual(want.targets);
        expect(got.answerStarts).toEqual(want.answerStarts);
        expect(stream.state).toEqual(reference.state);
        if (i === 3) after4 = stream.state;
      }
    } finally {
      stream.dispose();
    }
    // A resumed stream starts at a checkpoint's sampler state (batch 4 here) and goes on alike.
    const resumed = await openShardStream({ ...spec, origin: after4 }, 8, factory, { workers: 1, prefetch: 2 });
    try {
      const again = new TrainSampler(task, after4);
      expect((await resumed.next()).pairs).toEqual(again.nextBatch(64, 128).pairs);
      expect((await resumed.next()).pairs).toEqual(again.nextBatch(64, 128).pairs);
    } finally {
      resumed.dispose();
    }
    expect(factory.live()).toBe(0);
  });

  it('a trainer fed by the workers follows the trainer fed in-thread, and checkpoints the same data position', async () => {
    const factory = await nodeWorkerFactory();
    const spec = {
      ...defaultSpec(
        { layers: 1, dModel: 32, heads: 1, context: 16, vocab: VOCAB, batch: 4 },
        { digits: 2, splitSeed: 1 },
        2,
      ),
      steps: 20,
      evalExamples: 8,
    };
    const cpu = async (s: typeof spec, p: Float32Array) => new CpuBackend(s, p);
    const a = await Trainer.create(spec, cpu, inlineData);
    const b = await Trainer.create(spec, cpu, shardData(factory, { workers: 2, prefetch: 1 }));
    try {
      expect(b.data.name).toMatch(/Parquet shards streamed by 2 dataloader workers/);
      for (let i = 0; i < 3; i++) {
        const ra = await a.trainStep();
        const rb = await b.trainStep();
        expect(rb.loss).toBe(ra.loss);
        expect(rb.dataMs).toBeGreaterThanOrEqual(0);
      }
      expect((await b.checkpoint()).sampler).toEqual((await a.checkpoint()).sampler);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});
