import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';

describe('Serving lab in headless Chromium', () => {
  const app = servedApp({ webgpu: false });

  it('sweeps QPS from its URL, marks the knee, and the dashboard fires an alert during a surge', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=serving&requests=1000&alertQueue=20&systemPrompt=300`);
    // The sweep runs by itself; the knee is marked on the latency chart and named in words.
    await expect
      .poll(() => page.getByTestId('srv-latency-chart-marker').count(), { timeout: 90_000, interval: 250 })
      .toBe(1);
    expect(await page.getByTestId('srv-knee-text').innerText()).toMatch(/meets the SLO up to ≈ [\d.]+ req\/s/);
    expect(await page.getByTestId('srv-latency-chart-marker').textContent()).toMatch(/SLO breaks ≈ [\d.]+ req\/s/);
    expect(await page.getByTestId('srv-provenance').innerText()).toMatch(
      /simulated: roofline step cost of Llama 2 7B .* datasheet/,
    );
    // The sweep table has one row per load point.
    expect(await page.locator('.lab-results table').first().locator('tbody tr').count()).toBe(8);

    // Switch the chart to TPOT and back: the marker stays.
    await page.getByRole('button', { name: 'TPOT' }).click();
    expect(await page.getByTestId('srv-latency-chart-marker').count()).toBe(1);
    await page.getByRole('button', { name: 'TTFT' }).click();

    // The dashboard: run the surge; the queue alert fires and is logged.
    await page.getByTestId('srv-monitor-run').click();
    await expect.poll(() => page.getByTestId('srv-alert-log').count(), { timeout: 90_000, interval: 250 }).toBe(1);
    await expect
      .poll(() => page.getByTestId('srv-alert-log').innerText(), { timeout: 90_000, interval: 500 })
      .toMatch(/FIRED: queue depth \d+ > 20/);
    await expect
      .poll(() => page.getByRole('button', { name: 'Run the surge again' }).count(), { timeout: 90_000, interval: 500 })
      .toBe(1);
    expect(await page.locator('.srv-alert-mark').count()).toBeGreaterThan(0);

    // Planner and prefix caching: both finish and show their figures.
    await page.getByTestId('srv-plan-run').click();
    await expect.poll(() => page.getByTestId('srv-plan-replicas').count(), { timeout: 120_000, interval: 500 }).toBe(1);
    expect(Number((await page.getByTestId('srv-plan-replicas').innerText()).replace(/[^\d]/g, ''))).toBeGreaterThan(
      100,
    );
    await page.getByTestId('srv-prefix-run').click();
    await expect.poll(() => page.getByTestId('srv-prefix-hit').count(), { timeout: 90_000, interval: 250 }).toBe(1);
    expect(await page.getByTestId('srv-prefix-hit').innerText()).toMatch(/\d+(\.\d)?\s?%/);

    // RAG: the default replica counts leave the reranker at 100%: it is named as the bottleneck.
    await page.getByTestId('srv-rag-run').click();
    await expect.poll(() => page.getByTestId('srv-rag-text').count(), { timeout: 90_000, interval: 250 }).toBe(1);
    expect(await page.getByTestId('srv-rag-text').innerText()).toMatch(/bottleneck is Rerank/);

    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'serving-1280');
    await page.locator('.lab-main').screenshot({ path: 'test-results/serving-1280-main.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a 390 px phone and explains bad input instead of blanking', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=serving&requests=1000`);
    await expect
      .poll(() => page.getByTestId('srv-latency-chart-marker').count(), { timeout: 90_000, interval: 250 })
      .toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await screenshot(page, 'serving-390');
    // What a phone shows before any scrolling: the picture, then the key controls.
    await page.screenshot({ path: 'test-results/serving-390-main.png' });
    // A chunk budget below the max batch is refused with a message naming both.
    await page.goto(`${app.url}/?lab=serving&requests=500&chunked=true&chunk=64&maxBatch=256`);
    await expect
      .poll(() => page.locator('.lab-main [role=alert]').first().innerText(), { timeout: 30_000, interval: 250 })
      .toMatch(/chunked-prefill token budget \(64\).*max batch \(256\)/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
