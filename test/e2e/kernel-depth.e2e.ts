import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, settled, startPreview, watchErrors } from './harness';

/** Issue 18: access traces and the ladder in the tiling lab, the textbook baseline in the attention lab, launch overhead in the device lab. */
describe('kernel depth in headless Chromium', () => {
  let server: Awaited<ReturnType<typeof startPreview>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startPreview();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  it('tiling: heatmaps of the chosen tile and step, a GPU trace equal to the model, bank conflicts removed by padding, the ladder table', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    await page.goto(`${server.url}/?lab=tiling&M=64&N=64&K=64`);
    await expect.poll(() => page.getByTestId('heatmap-global').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('heatmap-shared').count()).toBe(1);
    expect(await page.getByTestId('trace-point').textContent()).toContain('K step 1 of');

    const kernel = page.getByLabel('Kernel to trace');
    await kernel.selectOption({ label: 'A tile transposed (k-major)' });
    await expect
      .poll(() => page.getByTestId('trace-shared').textContent(), { timeout: 10_000 })
      .toMatch(/[1-9][\d.]* extra passes/);
    await kernel.selectOption({ label: 'transposed + padded rows' });
    await expect
      .poll(() => page.getByTestId('trace-shared').textContent(), { timeout: 10_000 })
      .toContain('0.00 extra passes');
    await kernel.selectOption({ label: 'naive, column-major walk' });
    await page.getByRole('button', { name: 'Trace on the GPU' }).click();
    await expect
      .poll(() => page.getByTestId('trace-source').textContent(), { timeout: 120_000, interval: 500 })
      .toContain('equal the CPU model');
    await screenshot(page, 'tiling-trace-1280');

    await page.getByRole('button', { name: 'Climb the ladder' }).click();
    const ladder = page.locator('table.results', { hasText: 'Matmul ladder' }).locator('tbody tr');
    await expect.poll(() => ladder.count(), { timeout: 400_000, interval: 1000 }).toBeGreaterThanOrEqual(8);
    expect(await ladder.first().innerText()).toContain('= model ✓');
    await page.locator('.ladder-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'tiling-ladder-1280');

    await page.setViewportSize({ width: 390, height: 900 });
    await page.getByTestId('heatmap-global').scrollIntoViewIfNeeded();
    await screenshot(page, 'tiling-trace-390');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('attention: the standard path is the textbook algorithm, with the naive rung and the traffic table', async () => {
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
      const errors = watchErrors(page);
      await page.goto(`${server.url}/?lab=attention&n=64&heads=1&sweep=false`);
      await expect
        .poll(() => page.getByTestId('attention-traffic').count(), { timeout: 480_000, interval: 1000 })
        .toBe(1);
      // Rows stream in as each path finishes (issue 31): read the table once the run is over.
      await settled(page, 480_000);
      const table = page.locator('table.results', { hasText: 'standard (textbook unfused)' });
      expect(await table.count()).toBeGreaterThanOrEqual(1);
      expect(await table.first().innerText()).toContain('naive unfused (three-sweep softmax)');
      expect(await page.getByTestId('attention-traffic').innerText()).toContain('d / (2·Br)');
      await page.getByTestId('attention-traffic').scrollIntoViewIfNeeded();
      await screenshot(page, `attention-textbook-${width}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 1_000_000);

  it('device: the launch-overhead panel measures four regimes', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${server.url}/?lab=device`);
    const button = page.getByRole('button', { name: 'Measure launch overhead' });
    await expect.poll(() => button.isEnabled().catch(() => false), { timeout: 120_000 }).toBe(true);
    await button.click();
    const rows = page.locator('table.results', { hasText: 'Launch overhead' }).locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 120_000, interval: 500 }).toBe(4);
    await page.locator('.overhead-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'device-overhead-1280');
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
