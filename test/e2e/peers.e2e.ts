import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startPreview, watchErrors } from './harness';

/**
 * The peer libraries in headless Chromium, loaded the way lab pages load them (dynamic import of
 * src/peers), from a production build, with every request kept on the page's own origin.
 * The page is a test fixture (test/e2e/peers/), built here into a temporary folder, so the app
 * carries no debug page.
 */
describe('peers in the browser', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'peers-e2e-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('tfjs and onnxruntime-web load from the build and match the CPU reference', async () => {
    await build({
      configFile: false,
      root: resolve('test/e2e/peers'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2022' },
    });
    const previous = process.env.E2E_DIST;
    process.env.E2E_DIST = outDir;
    const server = await startPreview();
    if (previous === undefined) delete process.env.E2E_DIST;
    else process.env.E2E_DIST = previous;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      const origin = new URL(server.url).origin;
      const foreign: string[] = [];
      const wasm: number[] = [];
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.protocol.startsWith('http') && u.origin !== origin) foreign.push(r.url());
      });
      const failed: string[] = [];
      page.on('response', (r) => {
        if (r.url().endsWith('.wasm')) wasm.push(r.status());
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(server.url);
      await page.waitForFunction(() => window.__peers?.done === true, undefined, { timeout: 150_000 });
      const state = await page.evaluate(() => window.__peers!);
      await screenshot(page, 'peers');
      expect(state.error).toBeUndefined();
      expect(state.checks.map((c) => c.name)).toEqual([
        'ORT MatMul',
        'ORT attention',
        'ORT attention causal',
        'tfjs matMul',
        'tfjs epilogue',
      ]);
      for (const c of state.checks) {
        expect(c.maxAbsError, c.name).toBeLessThan(1e-4);
        expect(c.medianMs, c.name).toBeGreaterThan(0);
      }
      expect(wasm).toEqual([200]);
      expect(foreign).toEqual([]);
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.stop();
    }
  });

  it('the app build keeps the peer libraries out of the main chunk', () => {
    const dist = process.env.E2E_DIST ?? 'dist';
    const html = join(dist, 'index.html');
    expect(existsSync(html), `${html} is missing: build the app first`).toBe(true);
    // The entry script and everything it preloads statically, as the browser would fetch them at start.
    const eager = [...readFileSync(html, 'utf8').matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
    expect(eager.length).toBeGreaterThan(0);
    for (const file of eager) {
      const code = readFileSync(join(dist, file), 'utf8');
      expect(code.includes('ort-wasm-simd-threaded'), `${file} contains onnxruntime-web`).toBe(false);
      expect(code.includes('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE'), `${file} contains tfjs-backend-webgpu`).toBe(false);
    }
  });
});
