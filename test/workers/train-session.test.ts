import { describe, expect, it } from 'vitest';
import { defaultSpec, type TrainSpec } from '../../src/model/train/hyper';
import {
  CheckpointStore,
  listSavedRuns,
  loadSavedRun,
  memorySlots,
  opfsSlots,
  runName,
  type OpfsDirectory,
} from '../../src/workers/checkpointStore';
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
    const whole = createTrainSession(memorySlots());
    await whole.start(spec(6), false);
    const w = recorder();
    await whole.run({ evalEvery: 3, checkpointEvery: 0 }, w.events);

    const first = createTrainSession(slots);
    await first.start(spec(6), true);
    const a = recorder();
    // Pause right after step 4: its checkpoint (every 2) is stored, step 5 never runs.
    const ev = {
      ...a.events,
      step: (r: { loss: number; step: number }) => (a.log.losses.push(r.loss), r.step === 4 && first.pause()),
    } as SessionEvents;
    expect(await first.run({ evalEvery: 3, checkpointEvery: 2 }, ev)).toBe(4);
    expect(a.log.checkpoints.map((c) => c.step)).toEqual([2, 4]);

    const reloaded = createTrainSession(slots); // a new page: only storage survives
    const info = await reloaded.start(spec(6), true);
    expect(info).toMatchObject({ resumed: true, step: 4, problems: [] });
    const b = recorder();
    await reloaded.run({ evalEvery: 3, checkpointEvery: 2 }, b.events);
    expect([...a.log.losses, ...b.log.losses]).toEqual(w.log.losses);
  });

  it('a full quota is a named message and keeps the last good checkpoint', async () => {
    const slots = memorySlots();
    const s = createTrainSession(slots);
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
    expect((await new CheckpointStore(slots, runName(spec(4))).load()).checkpoint?.step).toBe(2);
  });

  it('a corrupt latest checkpoint is named and the previous one is used', async () => {
    const slots = memorySlots();
    const s = createTrainSession(slots);
    await s.start(spec(4), false);
    await s.run({ evalEvery: 10, checkpointEvery: 2 }, recorder().events);
    slots.map.get(`${runName(spec(4))}.latest`)![40] ^= 0xff;
    const again = createTrainSession(slots);
    const info = await again.start(spec(4), true);
    expect(info.step).toBe(2);
    expect(info.problems[0]).toMatch(/latest checkpoint is unusable \(checksum\)/);
  });

  it('a run of another configuration starts fresh and leaves the first run’s checkpoints in place', async () => {
    const slots = memorySlots();
    const s = createTrainSession(slots);
    await s.start(spec(2), false);
    await s.run({ evalEvery: 10, checkpointEvery: 2 }, recorder().events);
    const other = createTrainSession(slots);
    const info = await other.start({ ...spec(2), seed: 9 }, true);
    expect(info).toMatchObject({ resumed: false, step: 0, problems: [], storage: 'memory (not kept across reloads)' });
    expect(info.run).toBe(runName({ ...spec(2), seed: 9 }));
    await other.reset();
    // Reset forgot only the second run: the first is still listed and loads by name.
    const runs = await listSavedRuns(slots);
    expect(runs.map((r) => [r.name, r.step])).toEqual([[runName(spec(2)), 2]]);
    expect((await loadSavedRun(slots, runs[0].name)).state.params.length).toBe(runs[0].parameters);
    await expect(loadSavedRun(slots, 'nope')).rejects.toThrow(/No checkpoint of run "nope" is stored in memory/);
  });
});

/** A directory of the origin private file system, as far as the OPFS backend uses it, in memory. */
function fakeOpfs(quotaBytes = Infinity) {
  const files = new Map<string, Uint8Array>();
  const used = () => [...files.values()].reduce((a, f) => a + f.length, 0);
  const dir: OpfsDirectory = {
    async getFileHandle(name, o) {
      if (!files.has(name) && !o?.create) throw Object.assign(new Error(name), { name: 'NotFoundError' });
      if (!files.has(name)) files.set(name, new Uint8Array(0));
      return {
        async getFile() {
          const f = files.get(name)!;
          return { arrayBuffer: async () => f.slice().buffer };
        },
        async createWritable() {
          // Like Chromium: writes go to a swap file that replaces the file only on close().
          let swap: Uint8Array | null = null;
          return {
            async write(b: BufferSource) {
              const bytes = new Uint8Array(b as ArrayBuffer);
              if (used() - files.get(name)!.length + bytes.length > quotaBytes)
                throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
              swap = bytes.slice();
            },
            async close() {
              if (swap) files.set(name, swap);
            },
            async abort() {
              swap = null;
            },
          };
        },
      };
    },
    async removeEntry(name) {
      files.delete(name);
    },
    async *keys() {
      yield* [...files.keys()];
    },
  };
  return { dir, files };
}

describe('checkpoints in the origin private file system (OPFS backend)', () => {
  it('saves, resumes and lists by name; a full quota is named and keeps the last good file', async () => {
    const { dir, files } = fakeOpfs();
    const slots = opfsSlots(dir);
    const s = createTrainSession(slots);
    const info = await s.start(spec(4), false);
    expect(info.storage).toBe('the origin private file system (OPFS)');
    await s.run({ evalEvery: 10, checkpointEvery: 2 }, recorder().events);
    expect([...files.keys()].sort()).toEqual([`${info.run}.latest.gptckpt`, `${info.run}.previous.gptckpt`]);
    expect((await listSavedRuns(slots))[0]).toMatchObject({ name: info.run, step: 4 });

    // The same run against a nearly full quota: step 2's checkpoint fits in nothing new.
    const full = fakeOpfs(files.get(`${info.run}.latest.gptckpt`)!.length * 2 + 10);
    for (const [k, v] of files) full.files.set(k, v);
    const again = createTrainSession(opfsSlots(full.dir));
    await again.start(spec(6), false);
    const r = recorder();
    await again.run({ evalEvery: 10, checkpointEvery: 2 }, r.events);
    expect(r.log.checkpoints.some((c) => /Storage quota is full/.test(c.error ?? ''))).toBe(true);
    // The first run's files are untouched by the second's failed writes.
    expect((await loadSavedRun(opfsSlots(full.dir), info.run)).step).toBe(4);
  });

  it('a corrupt file is named and the previous checkpoint is used', async () => {
    const { dir, files } = fakeOpfs();
    const s = createTrainSession(opfsSlots(dir));
    const info = await s.start(spec(4), false);
    await s.run({ evalEvery: 10, checkpointEvery: 2 }, recorder().events);
    files.get(`${info.run}.latest.gptckpt`)![60] ^= 0xff;
    const resumed = await createTrainSession(opfsSlots(dir)).start(spec(4), true);
    expect(resumed).toMatchObject({ resumed: true, step: 2 });
    expect(resumed.problems[0]).toMatch(/latest checkpoint is unusable \(checksum\)/);
  });
});
