import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INT4_GROUP, VARIANT_NAMES } from '../../src/model/serve/quantized';
import { expectedTokens, speedup } from '../../src/sim/speculative';
import { ClaimBook } from '../helpers/claimBook';

/**
 * The Serve lab's scenarios: figures computed from the lab's quantizer settings, the speculative
 * closed form (src/sim/speculative) and the shipped checkpoints' metadata (public/checkpoints/*.json).
 * Accuracies and acceptance rates are measured by the lab at run time, so the prose states none.
 */
const root = join(import.meta.dirname, '../..');
interface CheckpointMeta {
  model: { layers: number; dModel: number; heads: number; context: number; vocab: number };
  task: { digits: number };
}
const checkpoint = (name: 'target' | 'draft') =>
  JSON.parse(readFileSync(join(root, 'public/checkpoints', `${name}.json`), 'utf8')) as CheckpointMeta;

describe('serve-int4-on-a-model-that-adds', () => {
  const id = 'serve-int4-on-a-model-that-adds';
  const book = ClaimBook.scenario(id);
  it('the shipped target answers sums of the digits its metadata records', () => {
    book.holds('summary', `held-out ${checkpoint('target').task.digits}-digit sums`);
  });
  it('int8 stores 8 bits per weight; int4 has one scale and zero point per group of 32', () => {
    book.holds('step 2', `${8 * Int8Array.BYTES_PER_ELEMENT} bits per weight lose nothing`);
    book.holds('step 3', `int4 with one scale and zero point per ${INT4_GROUP} weights`);
    expect(VARIANT_NAMES.int4).toContain(`g${INT4_GROUP}`);
    // The group cannot exceed a row of the shipped model's matrices.
    expect(checkpoint('target').model.dModel % INT4_GROUP).toBe(0);
  });
  it('every figure is held', () => book.done());
});

describe('serve-watch-the-kv-cache-fill', () => {
  it('every figure is held (its prose states none beyond the step’s own parameters)', () =>
    ClaimBook.scenario('serve-watch-the-kv-cache-fill').done());
});

describe('serve-why-a-small-draft-speeds-decoding', () => {
  const id = 'serve-why-a-small-draft-speeds-decoding';
  const book = ClaimBook.scenario(id);
  it('the draft has one layer, the target two (shipped checkpoint metadata)', () => {
    const words = ['zero', 'one', 'two', 'three'];
    book.holds(
      'summary',
      `A ${words[checkpoint('draft').model.layers]}-layer draft proposes tokens, the ${words[checkpoint('target').model.layers]}-layer target checks`,
    );
  });
  it('the acceptance rule is the paper’s', () => {
    book.cites(
      'step 2',
      'kept with probability min(1, p/q) and a rejection draws from max(0, p − q)',
      'Leviathan et al. 2023, Algorithm 1 (speculative sampling: accept with min(1, p/q), else sample from norm(max(0, p − q)))',
    );
  });
  it('the closed form the lab draws is src/sim/speculative’s expectedTokens', () => {
    for (const [a, g] of [
      [0.3, 2],
      [0.8, 4],
      [0.95, 7],
    ])
      expect(expectedTokens(a, g)).toBeCloseTo((1 - a ** (g + 1)) / (1 - a), 12);
    book.holds('step 3', '(1 − α^(γ+1)) / (1 − α)');
  });
  it('a draft as costly as the target never pays: break-even c tends to 1 as α → 1', () => {
    // The draft cost c at which speedup = 1 (v = 1): c = (E[tokens] − 1)/γ, below 1 for every α < 1.
    const breakEven = (a: number, g: number) => (expectedTokens(a, g) - 1) / g;
    for (const a of [0.5, 0.8, 0.99])
      for (const g of [1, 4, 8]) {
        expect(breakEven(a, g)).toBeLessThan(1);
        expect(speedup(a, g, 1)).toBeLessThanOrEqual(1);
      }
    book.holds('good 2', `c close to ${Math.round(breakEven(0.99, 4))}`);
  });
  it('every figure is held', () => book.done());
});
