import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startPreview, watchErrors } from './harness';

describe('tiling lab in headless Chromium', () => {
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

  it('measures, re-measures after a slider change, steps the K loop and explains a tile too big', async () => {
    // Reduced motion: the K loop must start paused, so one step is observable exactly.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    await page.goto(`${server.url}/?lab=tiling`);
    const shapeCell = page.locator('table.results').first().locator('tbody tr').nth(1).locator('td').nth(1);
    await expect
      .poll(() => shapeCell.textContent().catch(() => ''), { timeout: 120_000, interval: 500 })
      .toContain('64×64×16');
    expect(await page.getByTestId('tiled-gflops').textContent()).toMatch(/\d.*FLOP\/s/);
    expect(await page.getByTestId('kloop-step').textContent()).toContain('K step 1 of 16');

    // Drive the tile M control: type into its number input and commit with Enter.
    const tileM = page.locator('.param[data-param="tileM"] .num-input');
    await tileM.fill('32');
    await tileM.press('Enter');
    await expect
      .poll(() => shapeCell.textContent().catch(() => ''), { timeout: 120_000, interval: 500 })
      .toContain('32×64×16');
    // The earlier measurement moved to the history: two runs, the new one first.
    const history = page.locator('table.results', { hasText: 'Your runs' }).locator('tbody tr');
    await expect.poll(() => history.count(), { timeout: 10_000 }).toBe(2);
    expect(await history.first().innerText()).toContain('32×64×16');

    // One step of the K loop: the counter of global reads grows.
    const before = await page.getByTestId('kloop-global').textContent();
    await page.getByRole('button', { name: 'Next K step' }).click();
    expect(await page.getByTestId('kloop-step').textContent()).toContain('K step 2 of 16');
    expect(await page.getByTestId('kloop-global').textContent()).not.toBe(before);
    await screenshot(page, 'tiling');

    // A tile K whose tiles exceed workgroup memory is explained at its control, in bytes.
    const tileK = page.locator('.param[data-param="tileK"] .num-input');
    await tileK.fill('256');
    await tileK.press('Enter');
    const notice = page.locator('.param[data-param="tileK"] .param-notice');
    await expect
      .poll(() => notice.textContent().catch(() => ''), { timeout: 10_000 })
      .toMatch(/needs \d+ bytes .* of workgroup memory, this device has \d+/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
