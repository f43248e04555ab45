import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, settled, watchErrors } from './harness';

describe('attention lab in headless Chromium', () => {
  const app = servedApp();

  it('runs both kernels, steps the tile schedule and updates the counters and the softmax trace', async () => {
    // Reduced motion: the schedule must start paused, so each Step is observable.
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=attention&n=128&heads=2&sweep=false`);
    await expect
      .poll(() => page.locator('table.results tbody tr').count(), { timeout: 150_000, interval: 500 })
      .toBeGreaterThanOrEqual(2);
    // Rows stream in as each path finishes (issue 31): read the table once the run is over.
    await settled(page, 150_000);
    const table = await page.locator('.lab-results table.results').first().innerText();
    expect(table).toContain('standard');
    expect(table).toContain('tiled');
    expect(table).toContain('= model ✓');

    const stepText = page.getByTestId('attention-step');
    // 128/32 = 4 query blocks visiting 1..4 key blocks under the causal mask: 10 steps.
    expect(await stepText.textContent()).toBe('step 1 / 10');
    const tiledBefore = await page.getByTestId('counter-tiled').textContent();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => stepText.textContent()).toBe('step 2 / 10');
    expect(await page.getByTestId('counter-tiled').textContent()).not.toBe(tiledBefore);
    // Row 0 lives in query block 1, which has finished after its single (diagonal) key block.
    await page.locator('.att-trace select').selectOption('0');
    expect(await page.getByTestId('trace-status').textContent()).toMatch(/^Done: m = /);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => stepText.textContent()).toBe('step 3 / 10');
    await screenshot(page, 'attention');

    // onnxruntime-web on demand: loaded in the page, checked, timed beside our kernel.
    await page.getByTestId('attention-peer-run').click();
    const ratio = page.getByTestId('attention-peer-ratio');
    await expect.poll(() => ratio.count(), { timeout: 180_000, interval: 500 }).toBe(1);
    expect(await ratio.innerText()).toMatch(/Ours is [\d.]+× the speed of onnxruntime-web here/);
    const peerTable = await page.getByTestId('attention-peer').locator('table.results').innerText();
    expect(peerTable).toContain('GroupQueryAttention (causal)');
    expect(peerTable).toContain('GPU timestamps');
    await page.getByTestId('attention-peer').scrollIntoViewIfNeeded();
    await screenshot(page, 'attention-peer');
    expect(errors).toEqual([]);
    await page.close();
  });
});
