import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, type LoadedModel } from '../../src/model/serve/evaluate';
import { checkPair, ModelPairError } from '../../src/model/serve/pairing';
import { CONFIG_LIMITS } from '../../src/model/config';
import { decodeCheckpoint } from '../../src/model/train/checkpoint';
import { paramLayout } from '../../src/model/layout';
import {
  CheckpointStore,
  CheckpointStoreError,
  memorySlots,
  runName,
  type SlotBackend,
} from '../../src/workers/checkpointStore';
import { listSavedModels, loadSavedModel, RUN_NAME_MAX_LENGTH, SavedModelError } from '../../src/workers/savedModels';
import { choosePair, type ModelSources } from '../../src/labs/serve/models';
import { meta } from '../../src/labs/serve/meta';
import type { ServeLabReport } from '../../src/labs/serve/run';
import { servedCost } from '../../src/labs/serve/servedCost';
import { measureStepCosts } from '../../src/model/serve/stepCosts';
import { parseUrl } from '../../src/labkit/url';
import { validateParams } from '../../src/labkit/validate';

// The shipped checkpoints are real runs of the trainer (`npm run train`, README): saved through the
// Train lab's store under their run names, they are what the Train lab leaves in a browser.
const targetBytes = new Uint8Array(readFileSync('public/checkpoints/target.gptckpt'));
const draftBytes = new Uint8Array(readFileSync('public/checkpoints/draft.gptckpt'));
const shippedModels = { target: loadCheckpoint(targetBytes), draft: loadCheckpoint(draftBytes) };
const TARGET_RUN = runName(decodeCheckpoint(targetBytes).spec);
const DRAFT_RUN = runName(decodeCheckpoint(draftBytes).spec);

/** The Train lab's store after saving both runs, each under its own name. */
async function trainedStore() {
  const slots = memorySlots();
  await new CheckpointStore(slots, DRAFT_RUN).save(decodeCheckpoint(draftBytes));
  await new CheckpointStore(slots, TARGET_RUN).save(decodeCheckpoint(targetBytes));
  return slots;
}

const sources = (slots: SlotBackend): ModelSources => ({
  slots: async () => slots,
  shipped: async (role) => shippedModels[role],
});

describe('the Train lab’s saved runs, read by the Serve lab (storage bridge)', () => {
  it('lists every saved run by its run name, newest step first, described by size, task, step and accuracy', async () => {
    expect(TARGET_RUN).toMatch(/^L2-D32-H2-T16-B\d+-d2-s1-[0-9a-f]{8}$/);
    expect(DRAFT_RUN).toMatch(/^L1-D32-H2-T16-B\d+-d2-s1-[0-9a-f]{8}$/);
    const list = await listSavedModels(await trainedStore());
    expect(list.map((e) => [e.name, e.label])).toEqual([
      [DRAFT_RUN, '1 layer × d 32, 2-digit sums, step 4000, 78.1 % held-out'],
      [TARGET_RUN, '2 layers × d 32, 2-digit sums, step 1500, 96.9 % held-out'],
    ]);
    expect(list[1].run.parameters).toBe(shippedModels.target.model.params.length);
    expect(await listSavedModels(memorySlots())).toEqual([]);
  });

  it('serves a saved run as target and another as draft; the report names them', async () => {
    const pair = await choosePair({ target: TARGET_RUN, draft: DRAFT_RUN }, sources(await trainedStore()));
    expect(pair.target.source).toBe(`your saved model "${TARGET_RUN}"`);
    expect(pair.draft.source).toBe(`your saved model "${DRAFT_RUN}"`);
    expect(pair.target.name).toBe(TARGET_RUN);
    expect(pair.notes).toEqual([]);
    expect(pair.target.model.model.params).toEqual(shippedModels.target.model.params);
    expect(pair.draft.model.model.config.layers).toBe(1);
  });

  it('a corrupt latest checkpoint serves the previous one; a run with none usable is refused by name', async () => {
    const slots = await trainedStore();
    // A second save of the target run at a later step: its first save becomes the previous slot.
    const later = decodeCheckpoint(targetBytes);
    await new CheckpointStore(slots, TARGET_RUN).save({ ...later, step: 1600 });
    const flip = (key: string) => {
      const bad = slots.map.get(key)!.slice();
      bad[bad.length - 100] ^= 0xff;
      slots.map.set(key, bad);
    };
    flip(`${TARGET_RUN}.latest`);
    expect((await loadSavedModel(slots, TARGET_RUN)).step).toBe(1500);
    // The draft run has one checkpoint only: corrupt, it is left out of the list and refused when named.
    flip(`${DRAFT_RUN}.latest`);
    expect((await listSavedModels(slots)).map((e) => e.name)).toEqual([TARGET_RUN]);
    const refusal = loadSavedModel(slots, DRAFT_RUN);
    await expect(refusal).rejects.toBeInstanceOf(SavedModelError);
    await expect(refusal).rejects.toMatchObject({ kind: 'corrupt' });
    await expect(refusal).rejects.toThrow(
      `The saved model "${DRAFT_RUN}" is corrupt. No usable checkpoint of run "${DRAFT_RUN}": The latest checkpoint is unusable (checksum): Checkpoint checksum mismatch`,
    );
    await expect(choosePair({ target: 'shipped', draft: DRAFT_RUN }, sources(slots))).rejects.toThrow(
      /^The saved model "L1-D32-.*" is corrupt\./,
    );
  });

  it('a saved run that is not there falls back to the shipped checkpoint, with a message', async () => {
    const pair = await choosePair({ target: TARGET_RUN, draft: 'shipped' }, sources(memorySlots()));
    expect(pair.target.name).toBe('shipped');
    expect(pair.target.model).toBe(shippedModels.target);
    expect(pair.notes).toEqual([
      `No saved model "${TARGET_RUN}" in this browser (the Train lab has not checkpointed that run here, or it was reset). The target is the shipped checkpoint instead.`,
    ]);
    // Storage that cannot be opened at all (neither OPFS nor IndexedDB): the same fallback, naming why.
    const why = 'This browser offers no IndexedDB here, so checkpoints cannot be kept.';
    const fail = async (): Promise<never> => {
      throw new CheckpointStoreError('unavailable', why);
    };
    const none: SlotBackend = { kind: 'none', get: fail, putAll: fail, keys: fail, clear: fail };
    const p2 = await choosePair({ target: 'shipped', draft: DRAFT_RUN }, sources(none));
    expect(p2.draft.name).toBe('shipped');
    expect(p2.notes).toEqual([
      `No saved model "${DRAFT_RUN}" can be read here: ${why} The draft is the shipped checkpoint instead.`,
    ]);
    // Sources whose storage itself fails to open: still the fallback.
    const p3 = await choosePair(
      { target: 'shipped', draft: DRAFT_RUN },
      { slots: fail, shipped: async (role) => shippedModels[role] },
    );
    expect(p3.notes[0]).toMatch(/no IndexedDB.*The draft is the shipped checkpoint instead\./);
  });

  it('the URL holds the run name; a name with other characters or too long is a named notice or fallback', async () => {
    const url = parseUrl(`?lab=serve&target=${TARGET_RUN}&draft=${DRAFT_RUN}`);
    const { values, notices } = validateParams(meta.schema, url.raw);
    expect(values.target).toBe(TARGET_RUN);
    expect(values.draft).toBe(DRAFT_RUN);
    expect(notices).toEqual([]);
    for (const raw of ['%3Cscript%3E', 'my_run', 'a'.repeat(RUN_NAME_MAX_LENGTH + 1)]) {
      const bad = validateParams(meta.schema, parseUrl(`?target=${raw}`).raw);
      expect(bad.values.target).toBe('shipped');
      expect(bad.notices.length).toBe(1);
    }
    // The schema's bounds are the bridge's, and the longest name the Train lab can make fits them.
    for (const key of ['target', 'draft']) {
      const spec = meta.schema.find((s) => s.key === key);
      expect(spec).toMatchObject({ kind: 'text', maxLength: RUN_NAME_MAX_LENGTH, pattern: '[A-Za-z0-9-]*' });
    }
    const big = decodeCheckpoint(targetBytes).spec;
    const longest = runName({
      ...big,
      seed: 999_999,
      task: { ...big.task, digits: 4 },
      model: {
        ...big.model,
        layers: CONFIG_LIMITS.layers.max,
        dModel: CONFIG_LIMITS.dModel.max,
        heads: 8,
        context: CONFIG_LIMITS.context.max,
        batch: CONFIG_LIMITS.batch.max,
      },
    });
    expect(longest.length).toBeLessThanOrEqual(RUN_NAME_MAX_LENGTH);
    expect(validateParams(meta.schema, parseUrl(`?target=${longest}`).raw).notices).toEqual([]);
    // A caller that skips the schema gets the bridge's own check, by name, and the shipped model.
    const none = sources(memorySlots());
    const p1 = await choosePair({ target: 'my_run', draft: 'shipped' }, none);
    expect(p1.notes).toEqual([
      '"my_run" names no model: A saved run\'s name is made of letters, digits and "-" only. Choose "shipped" or a run the Train lab saved in this browser. The target is the shipped checkpoint instead.',
    ]);
    const p2 = await choosePair({ target: 'shipped', draft: 'x'.repeat(100) }, none);
    expect(p2.notes[0]).toBe(
      `"${'x'.repeat(RUN_NAME_MAX_LENGTH)}…" names no model: A saved run's name has at most ${RUN_NAME_MAX_LENGTH} characters; this one has 100. Choose "shipped" or a run the Train lab saved in this browser. The draft is the shipped checkpoint instead.`,
    );
  });
});

describe('draft and target must fit together (mismatch refusal)', () => {
  const t = shippedModels.target;
  const d = shippedModels.draft;
  const withConfig = (m: LoadedModel, patch: Partial<LoadedModel['model']['config']>): LoadedModel => ({
    ...m,
    model: { ...m.model, config: { ...m.model.config, ...patch } },
  });
  const refusal = (target: LoadedModel, draft: LoadedModel) => {
    try {
      checkPair(target, draft);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelPairError);
      return { field: (e as ModelPairError).field, message: (e as Error).message };
    }
    return null;
  };

  it('the shipped pair fits', () => expect(refusal(t, d)).toBeNull());

  it('refuses another vocabulary, another task format and another context, each by name', () => {
    expect(refusal(t, withConfig(d, { vocab: 14 }))).toEqual({
      field: 'vocab',
      message:
        'Vocabulary mismatch: the draft has 14 tokens, the target 13; the target cannot verify token ids it does not share.',
    });
    expect(refusal(t, { ...d, task: { ...d.task, digits: 3 } })).toEqual({
      field: 'tokenizer',
      message:
        'Tokenizer mismatch: the draft writes 3-digit sums, the target 2-digit ones, so their prompts and answers are different token sequences.',
    });
    expect(refusal(withConfig(t, { context: 32 }), d)).toEqual({
      field: 'context',
      message:
        'Context mismatch: the draft reads 16 tokens, the target 32; a proposal past the shorter window could not be verified.',
    });
  });

  it('a saved model of another context is refused as draft before anything runs', async () => {
    const ck = decodeCheckpoint(draftBytes);
    // A draft trained with a longer context: the parameter count changes with it (position embeddings).
    const slots = memorySlots();
    const longer = { ...ck, spec: { ...ck.spec, model: { ...ck.spec.model, context: 32 } } };
    const n = paramLayout(longer.spec.model).total;
    const z = () => new Float32Array(n);
    const run = runName(longer.spec);
    await new CheckpointStore(slots, run).save({ ...longer, state: { params: z(), m: z(), v: z() } });
    expect(run).toMatch(/^L1-D32-H2-T32-/);
    await expect(choosePair({ target: 'shipped', draft: run }, sources(slots))).rejects.toThrow(
      /^Context mismatch: the draft \(your saved model "L1-D32-H2-T32-[^"]+"\) reads 32 tokens, the target \(shipped target checkpoint\) 16/,
    );
  });
});

describe('the Serve lab’s step costs, handed to the serving lab', () => {
  it('times prefill and decode steps through the engine, and maps them to seconds with the model’s size and source', async () => {
    const prompt = [0, 1, 10, 2, 3, 11];
    const costs = await measureStepCosts(shippedModels.target.model, prompt, [1, 2], 1);
    expect(costs.path).toBe('float64 CPU forward');
    expect(costs.decodeStepMs.map((p) => p.batch)).toEqual([1, 2]);
    expect(costs.prefillMsPerToken).toBeGreaterThan(0);
    expect(costs.contextTokens).toBe(prompt.length + 4);
    const report = {
      target: { parameters: 31_000, layers: 2, dModel: 32, heads: 2, context: 16, step: 1500, trainedAccuracy: 0.97 },
      models: { target: { name: TARGET_RUN, source: `your saved model "${TARGET_RUN}"` } },
      stepCosts: {
        prefillMsPerToken: 0.25,
        decodeStepMs: [{ batch: 1, ms: 2 }],
        contextTokens: 10,
        path: 'float64 CPU forward',
      },
      measuredAt: '2026-12-06T19:30:00.000Z',
    } as unknown as ServeLabReport;
    const m = servedCost(report, 'SwiftShader')!;
    expect(m.prefillSPerToken).toBeCloseTo(2.5e-4, 15);
    expect(m.decodeStepS).toEqual([{ batch: 1, seconds: 0.002 }]);
    expect(m.model.kvBytesPerToken).toBe(2 * 2 * 32 * 4);
    expect(m.model.weightBytes).toBe(124_000);
    // The CPU path is credited to the CPU, not to the adapter.
    expect(m.adapter).toBe('this page’s CPU');
    expect(m.model.name).toBe(`2-layer × d 32 GPT (your saved model "${TARGET_RUN}", step 1500)`);
  });
});
