import { describe, expect, it } from 'vitest';
import { defaultSpec, type TrainSpec } from '../../src/model/train/hyper';
import { CheckpointStore, memorySlots } from '../../src/workers/checkpointStore';
import { createTrainSession, type SessionEvents } from '../../src/workers/trainSession';

function spec(steps: number): TrainSpec {
  return {
    ...defaultSpec(
      { layers: 1, dModel: 16, heads: 2, context: 16, vocab: 13, batch: 2 },
      { digits: 2, splitSeed: 1 },
      3,
    ),
    steps,
    warmup: 2,
    evalExamples: 8,
  };
}

function recorder() {
  const log = {
    losses: [] as number[],
    evals: 0,
    checkpoints: [] as { step: number; bytes?: number; error?: string }[],
  };
  const events: SessionEvents = {
    step: (r) => log.losses.push(r.loss),
    evaluation: () => log.evals++,
    checkpoint: (c) => log.checkpoints.push(c),
  };
  return { log, events };
}

describe('train session (the worker API, without a worker)', () => {
  it('checkpoints every K steps, resumes after a "reload" on the same curve', async () => {
    const slots = memorySlots();
    const whole = createTrainSession(new CheckpointStore(memorySlots()));
    await whole.start(spec(6), false);
    const w = recorder();
    await whole.run({ evalEvery: 3, checkpointEvery: 0 }, w.events);

    const first = createTrainSession(new CheckpointStore(slots));
    await first.start(spec(6), true);
    const a = recorder();
    // Pause right after step 4: its checkpoint (every 2) is stored, step 5 never runs.
    const ev = {
      ...a.events,
      step: (r: { loss: number; step: number }) => (a.log.losses.push(r.loss), r.step === 4 && first.pause()),
    } as SessionEvents;
    expect(await first.run({ evalEvery: 3, checkpointEvery: 2 }, ev)).toBe(4);
    expect(a.log.checkpoints.map((c) => c.step)).toEqual([2, 4]);

    const reloaded = createTrainSession(new CheckpointStore(slots)); // a new page: only storage survives
    const info = await reloaded.start(spec(6), true);
    expect(info).toMatchObject({ resumed: true, step: 4, problems: [] });
    const b = recorder();
    await reloaded.run({ evalEvery: 3, checkpointEvery: 2 }, b.events);
    expect([...a.log.losses, ...b.log.losses]).toEqual(w.log.losses);
  });

  it('a full quota is a named message and keeps the last good checkpoint', async () => {
    const slots = memorySlots();
    const s = createTrainSession(new CheckpointStore(slots));
    await s.start(spec(4), false);
    const r = recorder();
    const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const ev = {
      ...r.events,
      step: (x: { step: number }) => x.step === 3 && (slots.failWith = quota),
    } as SessionEvents;
    await s.run({ evalEvery: 10, checkpointEvery: 2 }, ev);
    expect(r.log.checkpoints[0]).toMatchObject({ step: 2 });
    expect(r.log.checkpoints[1].error).toMatch(
      /Storage quota is full: the checkpoint at step 4 .* the last good one is kept/,
    );
    expect((await new CheckpointStore(slots).load()).checkpoint?.step).toBe(2);
  });

  it('a corrupt latest checkpoint is named and the previous one is used', async () => {
    const slots = memorySlots();
    const s = createTrainSession(new CheckpointStore(slots));
    await s.start(spec(4), false);
    await s.run({ evalEvery: 10, checkpointEvery: 2 }, recorder().events);
    slots.map.get('latest')![40] ^= 0xff;
    const again = createTrainSession(new CheckpointStore(slots));
    const info = await again.start(spec(4), true);
    expect(info.step).toBe(2);
    expect(info.problems[0]).toMatch(/latest checkpoint is unusable \(checksum\)/);
  });

  it('a checkpoint of another configuration is not resumed', async () => {
    const slots = memorySlots();
    const s = createTrainSession(new CheckpointStore(slots));
    await s.start(spec(2), false);
    await s.run({ evalEvery: 10, checkpointEvery: 2 }, recorder().events);
    const info = await createTrainSession(new CheckpointStore(slots)).start({ ...spec(2), seed: 9 }, true);
    expect(info).toMatchObject({ resumed: false, step: 0 });
    expect(info.problems[0]).toMatch(/another configuration/);
  });
});
