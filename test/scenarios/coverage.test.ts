import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SESSIONS } from '../../src/interview/sessions';
import { ClaimBook } from '../helpers/claimBook';

/**
 * Claims as code, the whole of it: every scenario and every interview session has a ClaimBook that
 * holds each figure of its prose to a computation and calls done() (which fails on a figure left
 * unheld). This file says where each book is, so a new scenario or session cannot land without one.
 */
const root = join(import.meta.dirname, '../..');

/** Where each scenario's figures are held. */
const SCENARIO_BOOKS: Record<string, string> = {
  'flash-attention-io': 'test/scenarios/claims.test.ts',
  'memory-wall-fusion': 'test/scenarios/claims.test.ts',
  'tiling-reuse': 'test/scenarios/claims.test.ts',
  'paged-kv-waste': 'test/scenarios/claims.test.ts',
  'device-roofs': 'test/scenarios/claims.test.ts',
  'dataloader-starving-gpu': 'test/scenarios/claims.test.ts',
  'decode-why-quantize': 'test/scenarios/lab-claims.test.ts',
  'decode-speculative': 'test/scenarios/lab-claims.test.ts',
  'data-formats-parquet-vs-csv': 'test/scenarios/lab-claims.test.ts',
  'serving-million-users': 'test/labs/serving-scenarios.test.ts',
  'serving-rag-10k-qps': 'test/labs/serving-scenarios.test.ts',
  'serving-monitoring-checklist': 'test/labs/serving-scenarios.test.ts',
  'cluster-why-fsdp': 'test/labs/cluster-scenarios.test.ts',
  'cluster-crashed-at-hour-40': 'test/labs/cluster-scenarios.test.ts',
  'cluster-survive-node-failures': 'test/labs/cluster-scenarios.test.ts',
  'train-gpt-in-your-tab': 'test/scenarios/train-claims.test.ts',
  'train-kill-and-resume': 'test/scenarios/train-claims.test.ts',
  'train-where-step-time-goes': 'test/scenarios/train-claims.test.ts',
  'serve-int4-on-a-model-that-adds': 'test/scenarios/serve-claims.test.ts',
  'serve-watch-the-kv-cache-fill': 'test/scenarios/serve-claims.test.ts',
  'serve-why-a-small-draft-speeds-decoding': 'test/scenarios/serve-claims.test.ts',
  // Tours whose prose has no figure at all: held here.
  'starving-gpu-to-roofline': 'test/scenarios/coverage.test.ts',
  'workbench-count-the-bytes': 'test/scenarios/coverage.test.ts',
};
const SESSION_BOOKS = 'test/interview/session-claims.test.ts';

describe('every scenario and session has a claim book', () => {
  const ids = readdirSync(join(root, 'scenarios'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));
  it.each(ids)('scenario %s', (id) => {
    const file = SCENARIO_BOOKS[id];
    expect(file, `${id}: add a ClaimBook for it and name its test file here`).toBeDefined();
    const src = readFileSync(join(root, file), 'utf8');
    expect(src).toContain(`'${id}'`);
    expect(src).toMatch(/\.done\(\)/);
  });
  it.each(SESSIONS.map((s) => s.id))('session %s', (id) => {
    const src = readFileSync(join(root, SESSION_BOOKS), 'utf8');
    expect(src, `${id}: hold its rubric in ${SESSION_BOOKS}`).toContain(`'${id}'`);
  });
  it.each(['starving-gpu-to-roofline', 'workbench-count-the-bytes'])('%s states no figure', (id) =>
    ClaimBook.scenario(id).done(),
  );
});

describe('the claim book itself', () => {
  const fields = [
    { key: 'step 1', text: 'ZeRO-3 moves 1.5× the bytes (Dao et al. 2022, Algorithm 0) at 512 GPUs on Llama 3.' },
    {
      key: 'step 2',
      text: 'A 1,500-token prompt takes 65 ms; √(2·C·MTBF) and (2 + 2 + 12)Ψ are formulas; f32 and P99 are names.',
    },
  ];
  it('lists every figure nothing holds, and none that is a name, a citation or a formula', () => {
    const book = ClaimBook.of('example', fields);
    expect(book.unheld().map((f) => `${f.field}: ${f.figure}`)).toEqual([
      'step 1: 1.5',
      'step 1: 512',
      'step 2: 1,500',
      'step 2: 65',
    ]);
  });
  it('a held phrase holds the figures inside it, and done() fails while one is left', () => {
    const book = ClaimBook.of('example', fields);
    book.holds('step 1', 'moves 1.5× the bytes');
    book.holds('step 1', 'at 512 GPUs');
    book.holds('step 2', 'A 1,500-token prompt takes 65 ms');
    expect(() => book.done()).not.toThrow();
    const partial = ClaimBook.of('example', fields);
    partial.holds('step 1', 'moves 1.5× the bytes');
    expect(() => partial.done()).toThrow(/no check computes/);
  });
  it('holds() fails when the text does not state the computed figure', () => {
    expect(() => ClaimBook.of('example', fields).holds('step 2', 'takes 64 ms')).toThrow();
  });
  it('a pending list can only shrink: an entry that is held fails', () => {
    const book = ClaimBook.of('example', fields, ['step 2: 65']);
    book.holds('step 1', 'moves 1.5× the bytes');
    book.holds('step 1', 'at 512 GPUs');
    book.holds('step 2', 'A 1,500-token prompt takes 65 ms');
    expect(() => book.done()).toThrow(/pending/);
  });
});
