import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * "A lab is one folder": a copy of the project gets one extra folder, src/labs/fixture-lab/
 * (test/fixtures/labs/fixture-lab), and nothing else; the shell must then list it in the
 * navigation, open it from ?lab=fixture-lab, find its bench suite and its gallery drawing. The
 * copy lives in a temporary directory, so the shared tree never sees the fixture.
 */
const repo = join(import.meta.dirname, '../..');
let root: string;
let server: ViteDevServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gpu-playground-fixture-'));
  for (const p of [
    'src',
    'shaders',
    'scenarios',
    // vite.config.ts imports the driver probe (scripts/drivers.mjs).
    'scripts',
    'vite.config.ts',
    'tsconfig.json',
    'package.json',
    'index.html',
    'embed.html',
  ])
    cpSync(join(repo, p), join(root, p), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  cpSync(join(repo, 'test/fixtures/labs/fixture-lab'), join(root, 'src/labs/fixture-lab'), { recursive: true });
  server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'silent',
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: 'custom',
  });
});

afterAll(async () => {
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

type Registry = typeof import('../../src/labs/registry');

describe('a new lab folder is found with no edit outside it', () => {
  it('is discovered, ordered by meta.order, and its module loads and runs', async () => {
    const { LABS, LAB_PROBLEMS } = (await server.ssrLoadModule('/src/labs/registry.ts')) as Registry;
    // (Other folders' problems are test/labs/discover.test.ts's business.)
    expect(LAB_PROBLEMS.filter((p) => p.includes('fixture-lab'))).toEqual([]);
    expect(LABS.map((l) => l.id)).toContain('fixture-lab');
    // order 999: after every real lab.
    expect(LABS[LABS.length - 1].id).toBe('fixture-lab');
    const mod = await LABS[LABS.length - 1].load();
    const out = await mod.run({ runtime: null, signal: new AbortController().signal, progress: () => {} }, { n: 12 });
    expect(out).toEqual({ n: 12, square: 144 });
  });

  it('appears in the navigation', async () => {
    const { LABS } = (await server.ssrLoadModule('/src/labs/registry.ts')) as Registry;
    const { LabNav } = (await server.ssrLoadModule('/src/app/LabNav.tsx')) as typeof import('../../src/app/LabNav');
    const html = renderToStaticMarkup(createElement(LabNav, { labs: LABS, current: 'fixture-lab' }));
    expect(html).toContain('<a href="?lab=fixture-lab" aria-current="page">Fixture lab</a>');
  });

  it('opens from ?lab=fixture-lab, with its parameters validated from the URL', async () => {
    const { resolveRoute } = (await server.ssrLoadModule('/src/app/route.ts')) as typeof import('../../src/app/route');
    const route = resolveRoute('?lab=fixture-lab&n=7');
    expect(route.notices).toEqual([]);
    expect(route.entry?.id).toBe('fixture-lab');
    expect(route.url.raw).toEqual({ n: '7' });
    const { validateParams } = (await server.ssrLoadModule(
      '/src/labkit/validate.ts',
    )) as typeof import('../../src/labkit/validate');
    expect(validateParams(route.entry!.schema, route.url.raw, { n: 3 }).values).toEqual({ n: 7 });
  });

  it('is a scenario topic and has its gallery drawing', async () => {
    const { SCENARIO_TOPICS } = (await server.ssrLoadModule(
      '/src/scenarios/topics.ts',
    )) as typeof import('../../src/scenarios/topics');
    expect(SCENARIO_TOPICS).toContain('fixture-lab');
    expect(SCENARIO_TOPICS[SCENARIO_TOPICS.length - 1]).toBe('end-to-end');
    const { TopicThumb } = (await server.ssrLoadModule(
      '/src/app/TopicThumb.tsx',
    )) as typeof import('../../src/app/TopicThumb');
    expect(renderToStaticMarkup(createElement(TopicThumb, { topic: 'fixture-lab' }))).toContain('data-fixture-thumb');
  });

  it('is in the bench suite list under its id, and its suite runs', async () => {
    const { SUITES } = (await server.ssrLoadModule('/src/bench/suites.ts')) as typeof import('../../src/bench/suites');
    const entry = SUITES.find((s) => s.lab === 'fixture-lab');
    expect(entry).toBeDefined();
    expect(SUITES[SUITES.length - 1].lab).toBe('fixture-lab');
    const suite = await entry!.load();
    const rows = [];
    for await (const r of suite.run({ runtime: null as never, adapter: 'test', software: true, progress: () => {} }))
      rows.push(r);
    expect(rows.map((r) => [r.lab, r.kernel, r.square])).toEqual([['fixture-lab', 'square', 144]]);
  });

  it('type-checks against the contract where it lives (src/labs/fixture-lab/)', () => {
    // tsconfig.json leaves test/fixtures/labs out: its imports resolve only once copied into src/labs.
    writeFileSync(
      join(root, 'tsconfig.fixture.json'),
      JSON.stringify({ extends: './tsconfig.json', include: ['src/labs/fixture-lab'], exclude: [] }),
    );
    const r = spawnSync(
      process.execPath,
      [join(repo, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.fixture.json'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
