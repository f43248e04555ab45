import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, type LoadedModel } from '../../src/model/serve/evaluate';
import { checkPair, ModelPairError } from '../../src/model/serve/pairing';
import { decodeCheckpoint } from '../../src/model/train/checkpoint';
import { paramLayout } from '../../src/model/layout';
import { CheckpointStore, memorySlots } from '../../src/workers/checkpointStore';
import { listSavedModels, loadSavedModel, SavedModelError } from '../../src/workers/savedModels';
import { choosePair, type ModelSources } from '../../src/labs/serve/models';
import { meta } from '../../src/labs/serve/meta';
import type { ServeLabReport } from '../../src/labs/serve/run';
import { servedCost } from '../../src/labs/serve/servedCost';
import { measureStepCosts } from '../../src/model/serve/stepCosts';
import { parseUrl } from '../../src/labkit/url';
import { validateParams } from '../../src/labkit/validate';

// The shipped checkpoints stand in for models the Train lab saved: the same format, the same store.
const targetBytes = new Uint8Array(readFileSync('public/checkpoints/target.gptckpt'));
const draftBytes = new Uint8Array(readFileSync('public/checkpoints/draft.gptckpt'));
const shippedModels = { target: loadCheckpoint(targetBytes), draft: loadCheckpoint(draftBytes) };

/** The Train lab's store after two saves (the draft first, then the target: latest = target). */
async function trainedStore() {
  const slots = memorySlots();
  const store = new CheckpointStore(slots);
  await store.save(decodeCheckpoint(draftBytes));
  await store.save(decodeCheckpoint(targetBytes));
  return slots;
}

const sources = (slots: ReturnType<typeof memorySlots>): ModelSources => ({
  slots: () => slots,
  shipped: async (role) => shippedModels[role],
});

describe('the Train lab’s saved models, read by the Serve lab (storage bridge)', () => {
  it('lists both slots the Train lab saved, by name, described by size, step and accuracy', async () => {
    const list = await listSavedModels(await trainedStore());
    expect(list.map((e) => e.name)).toEqual(['trained', 'trained-previous']);
    expect(list[0].label).toMatch(/^2 layers × d 32, 2-digit sums, step 1500, \d+\.\d % held-out$/);
    expect(list[1].label).toMatch(/^1 layer × d 32, 2-digit sums, step \d+/);
    expect(list.every((e) => e.problem === null)).toBe(true);
    expect(await listSavedModels(memorySlots())).toEqual([]);
  });

  it('serves a saved model as target and another as draft; the report names them', async () => {
    const slots = await trainedStore();
    const pair = await choosePair({ target: 'trained', draft: 'trained-previous' }, sources(slots));
    expect(pair.target.source).toBe('your saved model "trained"');
    expect(pair.draft.source).toBe('your saved model "trained-previous"');
    expect(pair.notes).toEqual([]);
    expect(pair.target.model.model.params).toEqual(shippedModels.target.model.params);
    expect(pair.draft.model.model.config.layers).toBe(1);
  });

  it('a corrupt saved checkpoint is a named error, in the list and when chosen', async () => {
    const slots = await trainedStore();
    const bad = slots.map.get('latest')!.slice();
    bad[bad.length - 100] ^= 0xff;
    slots.map.set('latest', bad);
    const list = await listSavedModels(slots);
    expect(list[0]).toMatchObject({ name: 'trained', label: 'unusable (checksum)', checkpoint: null });
    expect(list[0].problem).toMatch(/checksum mismatch/);
    await expect(loadSavedModel(slots, 'trained')).rejects.toThrow(
      /The saved model "trained" is corrupt \(checksum\): Checkpoint checksum mismatch/,
    );
    await expect(choosePair({ target: 'trained', draft: 'shipped' }, sources(slots))).rejects.toBeInstanceOf(
      SavedModelError,
    );
  });

  it('a saved model that is not there falls back to the shipped checkpoint, with a message', async () => {
    const pair = await choosePair({ target: 'trained', draft: 'shipped' }, sources(memorySlots()));
    expect(pair.target.name).toBe('shipped');
    expect(pair.target.model).toBe(shippedModels.target);
    expect(pair.notes).toEqual([
      'No saved model "trained" in this browser (the Train lab has not checkpointed one here, or it was reset). The target is the shipped checkpoint instead.',
    ]);
    // No IndexedDB at all (Node, a private window): the same fallback, naming why.
    const none: ModelSources = {
      slots: () => {
        throw Object.assign(new Error('This browser offers no IndexedDB here, so checkpoints cannot be kept.'), {
          problem: 'unavailable',
        });
      },
      shipped: async (role) => shippedModels[role],
    };
    const p2 = await choosePair({ target: 'shipped', draft: 'trained-previous' }, none);
    expect(p2.draft.name).toBe('shipped');
    expect(p2.notes[0]).toMatch(/no IndexedDB.*The draft is the shipped checkpoint instead\./);
  });

  it('the choice is in the URL by name; an unknown name is a named fallback, a bad character a notice', async () => {
    const url = parseUrl('?lab=serve&target=trained&draft=trained-previous');
    const { values, notices } = validateParams(meta.schema, url.raw);
    expect(values.target).toBe('trained');
    expect(values.draft).toBe('trained-previous');
    expect(notices).toEqual([]);
    const bad = validateParams(meta.schema, parseUrl('?target=%3Cscript%3E').raw);
    expect(bad.values.target).toBe('shipped');
    expect(bad.notices.length).toBe(1);
    const pair = await choosePair({ target: 'mine', draft: 'shipped' }, sources(memorySlots()));
    expect(pair.notes[0]).toMatch(/^"mine" names no model: choose "shipped" or one of trained, trained-previous\./);
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
    await new CheckpointStore(slots).save({ ...longer, state: { params: z(), m: z(), v: z() } });
    await expect(choosePair({ target: 'shipped', draft: 'trained' }, sources(slots))).rejects.toThrow(
      /^Context mismatch: the draft \(your saved model "trained"\) reads 32 tokens, the target \(shipped target checkpoint\) 16/,
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
      models: { target: { name: 'trained', source: 'your saved model "trained"' } },
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
    expect(m.model.name).toBe('2-layer × d 32 GPT (your saved model "trained", step 1500)');
  });
});
