import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(process.cwd(), 'test-results');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Serves the production build (dist/) with `vite preview` on 127.0.0.1, a secure context for WebGPU. */
export async function startPreview(): Promise<{ url: string; stop(): void }> {
  // E2E_DIST lets several people build and test side by side without overwriting one dist/.
  const dist = process.env.E2E_DIST ?? 'dist';
  if (!existsSync(join(dist, 'index.html')))
    throw new Error(`${dist}/ is missing: the e2e script builds the app first (npm run test:e2e).`);
  const port = await freePort();
  const proc: ChildProcess = spawn(
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
    { stdio: 'pipe' },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      proc.kill();
      throw new Error('vite preview did not start within 30 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => proc.kill() };
}

/** Headless Chromium with WebGPU on SwiftShader (see shared WEBGPU-TESTING.md). Fails, never skips, without it. */
export async function launchBrowser(opts: { webgpu?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  const webgpu = opts.webgpu ?? true;
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      ...(webgpu
        ? [
            '--enable-unsafe-webgpu',
            '--enable-features=Vulkan',
            '--use-vulkan=swiftshader',
            '--use-webgpu-adapter=swiftshader',
          ]
        : ['--disable-features=WebGPU', '--disable-gpu']),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Collects console errors and page errors; a test ends by asserting the list is empty. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface ServedApp {
  url: string;
  browser: Browser;
}

/** The built app served on 127.0.0.1 and a Chromium for one describe block, both closed after it. */
export function servedApp(opts: { webgpu?: boolean } = {}): ServedApp {
  const app = {} as ServedApp;
  let stop = () => {};
  beforeAll(async () => {
    const server = await startPreview();
    stop = server.stop;
    app.url = server.url;
    app.browser = await launchBrowser(opts);
  });
  afterAll(async () => {
    await app.browser?.close();
    stop();
  });
  return app;
}

/** Waits for the lab's own run (the Run bar shows Stop while it runs), at most `ms`. */
export async function settled(page: Page, ms: number): Promise<void> {
  await page.locator('.lab-controls .run-bar').waitFor({ timeout: 30_000 });
  // A lab starts its run a moment after opening (debounced); labs that run only on demand never do.
  await page
    .locator('.lab-controls .run-bar .btn-stop')
    .waitFor({ timeout: 5_000 })
    .catch(() => {});
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (
      (await page.locator('.lab-controls .run-bar .btn-stop').count()) === 0 &&
      (await page.getByText('Loading the lab…').count()) === 0
    )
      return;
    await page.waitForTimeout(500);
  }
}
