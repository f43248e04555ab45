import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, watchErrors } from './harness';

/**
 * The build deployed where bloggers deploy it: not at a domain root but under a sub-path, as on a
 * GitHub project page (https://USER.github.io/REPO/). A tiny static server mounts dist/ at
 * /gpu-playground/ and answers 404 everywhere else, so any URL the app builds from the root
 * (/assets/..., /embed.html, /scenarios/...) fails the test as a failed request.
 */

const MOUNT = '/gpu-playground/';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

function serveDistAt(dist: string): Promise<{ url: string; close(): void; outside: string[] }> {
  const root = resolve(dist);
  const outside: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    // GitHub Pages redirects the bare folder to the folder with a slash; so does this server.
    if (path === MOUNT.slice(0, -1)) {
      res.writeHead(301, { location: MOUNT }).end();
      return;
    }
    if (!path.startsWith(MOUNT)) {
      outside.push(path);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('outside the mount point');
      return;
    }
    let file = normalize(join(root, path.slice(MOUNT.length)));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      ok({ url: `http://127.0.0.1:${port}${MOUNT}`, close: () => server.close(), outside });
    }),
  );
}

/** Requests that failed or came back 4xx/5xx, which a blank page under a sub-path is made of. */
function watchRequests(page: Page): string[] {
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText ?? 'failed'})`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (HTTP ${r.status()})`);
  });
  return failed;
}

async function expectRendered(page: Page): Promise<void> {
  // Not blank: the React root has content and the page shows readable text.
  await expect.poll(() => page.locator('#root > *').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect
    .poll(async () => (await page.locator('#root').innerText()).trim().length, { timeout: 30_000 })
    .toBeGreaterThan(40);
}

describe('the build under a sub-path (/gpu-playground/), as on a GitHub project page', () => {
  const dist = process.env.E2E_DIST ?? 'dist';
  let server: Awaited<ReturnType<typeof serveDistAt>>;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(join(dist, 'index.html')))
      throw new Error(`${dist}/ is missing: the e2e script builds the app first (npm run test:e2e).`);
    server = await serveDistAt(dist);
    // Without WebGPU: the home page, a simulation lab and a replayed scenario must all work there,
    // and the replay loads its recording on demand, one more URL that has to resolve.
    browser = await launchBrowser({ webgpu: false });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('serves the app home with every asset from the sub-path', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    const failed = watchRequests(page);
    // The bare folder first: the server redirects it, as GitHub Pages does.
    await page.goto(server.url.slice(0, -1));
    expect(new URL(page.url()).pathname).toBe(MOUNT);
    await expectRendered(page);
    await screenshot(page, 'subpath-home');
    expect(failed).toEqual([]);
    expect(server.outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs a lab (kv-cache, a simulation) and builds its share and embed links on the sub-path', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    const failed = watchRequests(page);
    await page.goto(`${server.url}?lab=kv-cache&requests=40`);
    await expectRendered(page);
    await expect
      .poll(() => page.getByTestId('waste-paged').textContent(), { timeout: 60_000, interval: 250 })
      .toMatch(/\d.*%/);
    // The embed snippet a blogger copies points at this deployment's embed.html, not the origin root.
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    const snippet = await page.getByTestId('embed-snippet').inputValue();
    expect(snippet).toContain(`src="${server.url}embed.html?lab=kv-cache`);
    const preview = await page.getByRole('link', { name: 'Preview the widget' }).getAttribute('href');
    expect(new URL(preview!).pathname).toBe(`${MOUNT}embed.html`);
    await screenshot(page, 'subpath-kv-cache');
    expect(failed).toEqual([]);
    expect(server.outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("starts the dataloader lab's real Web Workers from the sub-path (new URL(..., import.meta.url))", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    const failed = watchRequests(page);
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(
      `${server.url}?lab=dataloader&mode=live&numWorkers=2&features=16&augment=1&batchSize=8&stepMs=2&stepsPerEpoch=20&epochs=1&format=csv`,
    );
    // The finished live run shows its mode tile; it exists only if the workers loaded and ran.
    await expect
      .poll(() => page.locator('.dl-kpi', { hasText: 'live workers' }).count(), { timeout: 60_000, interval: 250 })
      .toBe(1);
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) expect(new URL(w).pathname.startsWith(`${MOUNT}assets/`), w).toBe(true);
    expect(failed).toEqual([]);
    expect(server.outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders embed.html?scenario=... for a replayed GPU scenario and a simulated one, and the blog example', async () => {
    for (const [id, viewport] of [
      ['memory-wall-fusion', { width: 390, height: 800 }],
      ['paged-kv-waste', { width: 800, height: 800 }],
    ] as const) {
      const page = await browser.newPage({ viewport, reducedMotion: 'reduce' });
      const errors = watchErrors(page);
      const failed = watchRequests(page);
      await page.goto(`${server.url}embed.html?scenario=${id}`);
      await expectRendered(page);
      await expect
        .poll(() => page.locator('.scenario-panel').getAttribute('data-scenario'), { timeout: 30_000 })
        .toBe(id);
      // A results table with rows: the recording (memory wall) or the simulation (KV cache) arrived.
      await expect
        .poll(() => page.locator('table.results tbody tr').count(), { timeout: 90_000, interval: 500 })
        .toBeGreaterThan(0);
      expect(await page.locator('.error-text').count()).toBe(0);
      await screenshot(page, `subpath-embed-${id}`);
      expect(failed, id).toEqual([]);
      expect(errors, id).toEqual([]);
      await page.close();
    }
    // The blog example ships in public/ and frames embed.html relative to itself.
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const failed = watchRequests(page);
    await page.goto(`${server.url}blog-example.html`);
    const srcs = await page
      .locator('iframe.gpu-playground')
      .evaluateAll((els) => els.map((e) => (e as HTMLIFrameElement).src));
    expect(srcs.length).toBeGreaterThan(0);
    for (const s of srcs) expect(new URL(s).pathname).toBe(`${MOUNT}embed.html`);
    // Each widget renders its scenario there (the frames load lazily, so bring each into view).
    for (let i = 0; i < srcs.length; i++) {
      const frame = page.locator('iframe.gpu-playground').nth(i);
      await frame.scrollIntoViewIfNeeded();
      const inner = (await (await frame.elementHandle())!.contentFrame())!;
      await expect.poll(() => inner.locator('.scenario-panel').count(), { timeout: 30_000 }).toBe(1);
    }
    expect(failed).toEqual([]);
    expect(server.outside).toEqual([]);
    await page.close();
  });
});
