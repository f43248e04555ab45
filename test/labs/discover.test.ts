import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUITES } from '../../src/bench/suites';
import { discoverLabs, discoverSuites, discoverThumbs } from '../../src/labkit/discover';
import { LAB_IDS, LAB_PROBLEMS, LABS } from '../../src/labs/registry';
import { SCENARIO_TOPICS } from '../../src/scenarios/topics';

const meta = (id: string, order: number) => ({ meta: { id, title: id, order, summary: '', gpu: 'none', schema: [] } });
const View = () => null;
const entry = () => async () => ({ default: { run: async () => 1, View } });

describe('discoverLabs (pure, over what import.meta.glob returns)', () => {
  it('orders labs by meta.order, then id, whatever the glob order', () => {
    const { labs, problems } = discoverLabs(
      { './zeta/meta.ts': meta('zeta', 10), './alpha/meta.ts': meta('alpha', 20), './beta/meta.ts': meta('beta', 10) },
      { './zeta/entry.ts': entry(), './alpha/entry.ts': entry(), './beta/entry.ts': entry() },
    );
    expect(problems).toEqual([]);
    expect(labs.map((l) => l.id)).toEqual(['beta', 'zeta', 'alpha']);
  });

  it('leaves out folders that break the contract, each with a problem naming the file and the fix', () => {
    const { labs, problems } = discoverLabs(
      {
        './good/meta.ts': meta('good', 1),
        './renamed/meta.ts': meta('old-name', 2),
        './no-entry/meta.ts': meta('no-entry', 3),
        './old-export/meta.ts': { oldMeta: meta('old-export', 4).meta },
        './Bad_Name/meta.ts': meta('Bad_Name', 5),
      },
      {
        './good/entry.ts': entry(),
        './renamed/entry.ts': entry(),
        './old-export/entry.ts': entry(),
        './only-entry/entry.ts': entry(),
      },
    );
    expect(labs.map((l) => l.id)).toEqual(['good']);
    expect(problems).toEqual([
      'src/labs/renamed/meta.ts: meta.id is "old-name" but the folder is "renamed"; they must be the same',
      'src/labs/no-entry/entry.ts is missing: `export default defineModule(meta, { run, View })`',
      'src/labs/old-export/meta.ts: export `const meta = defineLab({ id, title, order, summary, gpu, schema })`',
      'src/labs/Bad_Name/: a lab folder is named in lower-case words joined by hyphens (it is the lab id)',
      'src/labs/only-entry/meta.ts is missing: `export const meta = defineLab({...})`',
    ]);
  });

  it('loads a module lazily and rejects an entry without a default LabModule', async () => {
    let loaded = 0;
    const { labs } = discoverLabs(
      { './a/meta.ts': meta('a', 1), './b/meta.ts': meta('b', 2) },
      {
        './a/entry.ts': async () => (loaded++, { default: { run: async () => 1, View } }),
        './b/entry.ts': async () => ({ run: async () => 1, View }),
      },
    );
    expect(loaded).toBe(0);
    expect(typeof (await labs[0].load()).run).toBe('function');
    expect(loaded).toBe(1);
    await expect(labs[1].load()).rejects.toThrow(
      'src/labs/b/entry.ts must `export default defineModule(meta, { run, View })`',
    );
  });
});

describe('discoverSuites and discoverThumbs', () => {
  it('orders suites as the labs, loads only on demand and checks suite.lab against the folder', async () => {
    const suite = (lab: string) => async () => ({ suite: { lab, title: lab, run: async function* () {} } });
    const found = discoverSuites(
      {
        '../labs/late/bench.ts': suite('late'),
        '../labs/early/bench.ts': suite('early'),
        '../labs/kv-cache/bench.ts': suite('kvcache'),
      },
      new Map([
        ['early', 1],
        ['kv-cache', 2],
        ['late', 3],
      ]),
    );
    expect(found.map((s) => s.lab)).toEqual(['early', 'kv-cache', 'late']);
    expect((await found[0].load()).lab).toBe('early');
    await expect(found[1].load()).rejects.toThrow(
      'src/labs/kv-cache/bench.ts: suite.lab is "kvcache" but the lab id is "kv-cache"',
    );
  });

  it('maps thumbnails by folder and ignores a file without a default component', () => {
    const Thumb = () => null;
    const m = discoverThumbs({ './a/thumb.tsx': { default: Thumb }, './b/thumb.tsx': { Thumb } });
    expect([...m.keys()]).toEqual(['a']);
    expect(m.get('a')).toBe(Thumb);
  });
});

describe('the labs in this tree', () => {
  const dir = join(import.meta.dirname, '../../src/labs');
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'meta.ts')))
    .map((d) => d.name);

  it('every lab folder follows the contract', () => {
    expect(LAB_PROBLEMS).toEqual([]);
    expect([...LAB_IDS].sort()).toEqual([...folders].sort());
    expect(LABS.map((l) => l.order)).toEqual([...LABS.map((l) => l.order)].sort((a, b) => a - b));
  });

  it('scenario topics are the lab ids, then end-to-end', () => {
    expect(SCENARIO_TOPICS).toEqual([...LAB_IDS, 'end-to-end']);
  });

  it('every bench suite is found under its lab id (the bench --lab value)', async () => {
    for (const s of SUITES) {
      expect(LAB_IDS).toContain(s.lab);
      expect((await s.load()).lab).toBe(s.lab);
    }
    expect(SUITES.map((s) => s.lab)).toContain('kv-cache');
  });
});
