import { describe, expect, it } from 'vitest';
import { meta as cluster } from '../../src/labs/cluster/meta';
import { meta as serving } from '../../src/labs/serving/meta';
import { validateParams } from '../../src/labkit/validate';

/** Links made before the catalog used other ids; they must still mean the same model and GPU, without a notice. */
describe('old links read as the catalog ids they became', () => {
  it('cluster: model=70b, gpu=h100-80', () => {
    const v = validateParams(cluster.schema, { model: '70b', gpu: 'h100-80' });
    expect(v.values.model).toBe('llama2-70b');
    expect(v.values.gpu).toBe('h100-sxm');
    expect(v.notices).toEqual([]);
    for (const [old, id] of [
      ['1b', 'gpt3-xl'],
      ['7b', 'gpt3-6.7b'],
      ['13b', 'llama2-13b'],
      ['175b', 'gpt3-175b'],
      ['405b', 'llama3.1-405b'],
      ['h200-141', 'h200'],
      ['rtx4090-24', 'rtx-4090'],
    ]) {
      const x = validateParams(cluster.schema, old.endsWith('b') ? { model: old } : { gpu: old });
      expect(old.endsWith('b') ? x.values.model : x.values.gpu).toBe(id);
    }
  });
  it('serving: model=llama3-70b, gpu=h100', () => {
    const v = validateParams(serving.schema, { model: 'llama3-70b', gpu: 'h100' });
    expect(v.values.model).toBe('llama3.1-70b');
    expect(v.values.gpu).toBe('h100-sxm');
    expect(v.notices).toEqual([]);
  });
  it('an unknown id is still refused with a notice', () => {
    const v = validateParams(serving.schema, { model: 'gpt-5' });
    expect(v.values.model).toBe('llama2-7b');
    expect(v.notices).toHaveLength(1);
  });
});
