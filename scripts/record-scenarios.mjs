// Records the kernel results of each GPU scenario so embeds can replay them where WebGPU is
// missing. For every step of every scenario whose lab uses the GPU, it opens the built widget
// (embed.html?scenario=ID&step=K&record=1) in headless Chromium with WebGPU (SwiftShader unless
// CHROMIUM_ARGS says otherwise), waits for the lab's result, and writes
// `recording: { adapter, recordedAt, runs: [{ lab, params, result }] }` into scenarios/ID.json.
//
// The page exposes a read-only snapshot of its store on window.__gpuPlaygroundRecorder only with
// `record=1` under automation (navigator.webdriver): see src/app/recorderHook.ts.
//
// Usage: node scripts/record-scenarios.mjs [--dist DIR] [--only ID[,ID]] [--timeout SECONDS] [--optional]
//   --dist: an existing build (default: builds into a temporary folder first)
//   --optional: also record labs whose GPU part is optional (by default only labs that need
//     WebGPU are recorded; the simulation of an optional lab runs live in the embed anyway)
// On a real GPU: CHROMIUM_ARGS="--enable-unsafe-webgpu --enable-features=Vulkan" node scripts/record-scenarios.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import * as prettier from 'prettier';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const only = opt('--only', '').split(',').filter(Boolean);
const timeoutMs = Number(opt('--timeout', '600')) * 1000;
const withOptional = args.includes('--optional');
let dist = opt('--dist', '');
if (!dist) {
  dist = mkdtempSync(join(tmpdir(), 'gpu-playground-record-'));
  console.error(`building into ${dist}…`);
  const b = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const port = await new Promise((resolve, reject) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
  s.on('error', reject);
});
const preview = spawn(
  process.execPath,
  [
    'node_modules/vite/bin/vite.js',
    'preview',
    '--outDir',
    dist,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--strictPort',
  ],
  { stdio: 'ignore' },
);
const base = `http://127.0.0.1:${port}`;
for (let t = Date.now(); ;) {
  try {
    if ((await fetch(base)).ok) break;
  } catch {
    /* not up yet */
  }
  if (Date.now() - t > 30_000) throw new Error('vite preview did not start');
  await new Promise((r) => setTimeout(r, 200));
}

const gpuArgs = process.env.CHROMIUM_ARGS?.split(' ').filter(Boolean) ?? [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless=new',
    '--no-sandbox',
    ...gpuArgs,
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});

let noGpuBrowser = null;

/** Labs whose GPU part is optional: their simulation runs live in the embed, so only what needs a GPU is kept. */
async function gpuOnlyParts(id, step, lab, result) {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return result;
  noGpuBrowser ??= await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-features=WebGPU', '--disable-gpu'],
  });
  const live = await recordStep(id, step, noGpuBrowser, lab);
  const kept = Object.fromEntries(
    Object.entries(result).filter(([k]) => live.result?.[k] === null || live.result?.[k] === undefined),
  );
  return Object.keys(kept).length ? kept : result;
}

async function recordStep(id, step, on = browser, expectLab = null) {
  const page = await on.newPage({ viewport: { width: 1000, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  try {
    await page.goto(`${base}/embed.html?scenario=${encodeURIComponent(id)}&step=${step}&record=1`);
    await page.waitForFunction(() => window.__gpuPlaygroundRecorder && document.querySelector('.lab[data-lab]'), null, {
      timeout: 30_000,
    });
    const lab = await page.locator('.lab[data-lab]').getAttribute('data-lab');
    const snap0 = await page.evaluate(() => window.__gpuPlaygroundRecorder.snapshot());
    const meta = snap0.labs.find((l) => l.id === lab);
    if (expectLab && lab !== expectLab) throw new Error(`step ${step} opened ${lab}, expected ${expectLab}`);
    if (!expectLab && (!meta || meta.gpu === 'none' || (meta.gpu === 'optional' && !withOptional))) return null;
    const started = Date.now();
    let clicked = false;
    for (;;) {
      const s = await page.evaluate(() => window.__gpuPlaygroundRecorder.snapshot());
      if (s.gpuStatus === 'unavailable' && !expectLab) throw new Error('this browser has no WebGPU: nothing to record');
      const r = s.results[lab];
      const key = JSON.stringify(s.params[lab] ?? {});
      if (r?.status === 'done' && r.paramsKey === key) {
        // A device clamp changed the scenario's values (a software adapter limits sizes): the run is
        // recorded under the values it ran with, and kept for the values the scenario asked for, with
        // the device's notices, so the replay stands for the scenario's step and says what changed.
        const clamps = (s.notices?.[lab] ?? []).filter((n) => n.key in (s.params[lab] ?? {}));
        for (const n of s.notices?.[lab] ?? []) console.error(`  warning: ${lab}: ${n.message}`);
        return {
          lab,
          gpu: meta.gpu,
          params: s.params[lab],
          clamped: clamps.map((n) => n.message),
          result: r.data,
          adapter: s.adapter,
        };
      }
      if (r?.status === 'error') throw new Error(`${lab} failed: ${r.error}`);
      // Labs that do not run by themselves get the Run button, as a user would press it.
      if (!clicked && Date.now() - started > 3000 && (!r || r.status === 'idle' || r.status === 'cancelled')) {
        await page.locator('.run-bar .btn-run').click();
        clicked = true;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`${lab} did not finish within ${timeoutMs / 1000} s`);
      await new Promise((res) => setTimeout(res, 500));
    }
  } finally {
    if (errors.length) console.error(`  page errors: ${errors.join(' | ')}`);
    await page.close();
  }
}

/** A lab's values at a scenario step as the scenario sets them: stateAt in src/scenarios/state.ts. */
function scenarioValues(scenario, index, lab) {
  const params = { [scenario.lab]: { ...scenario.params } };
  let current = scenario.lab;
  for (let k = 0; k <= index; k++) {
    const st = scenario.steps[k];
    current = st.lab ?? current;
    if (st.params) params[current] = { ...params[current], ...st.params };
  }
  return params[lab] ?? {};
}

let failed = 0;
const files = readdirSync('scenarios').filter(
  (f) => f.endsWith('.json') && (!only.length || only.includes(f.replace(/\.json$/, ''))),
);
try {
  for (const f of files) {
    const path = join('scenarios', f);
    const scenario = JSON.parse(readFileSync(path, 'utf8'));
    const runs = [];
    let adapter = null;
    try {
      for (let step = 1; step <= scenario.steps.length; step++) {
        const t = Date.now();
        const rec = await recordStep(scenario.id, step);
        if (!rec) continue;
        const requested = rec.clamped.length ? scenarioValues(scenario, step - 1, rec.lab) : undefined;
        const same = runs.find(
          (r) =>
            r.lab === rec.lab &&
            JSON.stringify(r.params) === JSON.stringify(rec.params) &&
            JSON.stringify(r.requested) === JSON.stringify(requested),
        );
        console.error(
          `${scenario.id} step ${step}: ${rec.lab} ${same ? 'same parameters as an earlier step' : `recorded in ${((Date.now() - t) / 1000).toFixed(1)} s`}`,
        );
        adapter = rec.adapter;
        if (!same)
          runs.push({
            lab: rec.lab,
            params: rec.params,
            ...(requested ? { requested, clamped: rec.clamped } : {}),
            result: rec.gpu === 'optional' ? await gpuOnlyParts(scenario.id, step, rec.lab, rec.result) : rec.result,
          });
      }
    } catch (e) {
      failed++;
      console.error(`${scenario.id}: ${e.message}; file left unchanged`);
      continue;
    }
    if (!runs.length) {
      console.error(`${scenario.id}: no GPU lab in this scenario, nothing to record`);
      continue;
    }
    scenario.recording = { adapter: adapter ?? 'unknown adapter', recordedAt: new Date().toISOString(), runs };
    const text = await prettier.format(JSON.stringify(scenario), {
      ...(await prettier.resolveConfig(path)),
      filepath: path,
    });
    writeFileSync(path, text);
    console.error(`${scenario.id}: wrote ${runs.length} run(s) recorded on ${scenario.recording.adapter}`);
  }
} finally {
  await browser.close();
  await noGpuBrowser?.close();
  preview.kill();
}
process.exit(failed ? 1 : 0);
