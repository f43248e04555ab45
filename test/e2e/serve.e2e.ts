import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';

// Fewer held-out examples than the default so the float64 path finishes quickly on CI.
const URL_PARAMS = 'lab=serve&prompts=6&evalCount=64&maxGamma=2';

describe('Serve lab in headless Chromium', () => {
  const app = servedApp();

  it('loads the shipped checkpoints, generates through the paged KV cache, shows the weight formats and the speculative sweep', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?${URL_PARAMS}`);
    await expect
      .poll(() => page.getByTestId('serve-gen-summary').textContent(), { timeout: 120_000, interval: 500 })
      .toMatch(/of 6 sums right/);
    // The GPU path (Chromium's WebGPU on SwiftShader): every forward through the kernels, logits held to float64.
    const summary = (await page.getByTestId('serve-gen-summary').textContent()) ?? '';
    expect(summary).toMatch(/Every forward ran on this GPU/);
    const worst = Number(/worst error ([0-9.e+-]+)/.exec(summary)?.[1]);
    expect(worst).toBeLessThan(1e-4);
    expect(summary).toMatch(/[0-9.]+ tokens\/s measured on this device/);
    const quant = (await page.getByTestId('serve-quant').textContent()) ?? '';
    expect(quant).toMatch(/Tokens\/s \(GPU kernels, this device\)/);
    expect(quant).not.toMatch(/no WebGPU/);
    for (const name of ['f32', 'f16', 'int8 per channel', 'int4 g32 RTN', 'int4 g32 AWQ'])
      expect(quant).toContain(name);
    const spec = (await page.getByTestId('serve-spec').textContent()) ?? '';
    expect(spec).toMatch(/yes/);
    expect(spec).toMatch(/GPU kernels: c = [0-9.]+ measured/);
    expect(spec).not.toMatch(/greedy differs/);
    // The map at the first step has fewer blocks in use than at its fullest.
    const last = await page.getByTestId('serve-step').textContent();
    await page.getByRole('slider', { name: 'Scheduler step' }).fill('0');
    expect(await page.getByTestId('serve-step').textContent()).not.toBe(last);
    expect(await page.locator('[data-testid="serve-map"] rect').count()).toBeGreaterThan(12);
    await screenshot(page, 'serve');
    // The step costs handed to the serving lab were timed on the same GPU kernels, and its source line says so.
    await page.goto(`${app.url}/?lab=serving&requests=200`);
    const use = page.getByRole('button', { name: 'Use the model I served' });
    await use.waitFor({ timeout: 60_000 });
    await use.click();
    await expect
      .poll(() => page.getByTestId('srv-provenance').innerText(), { timeout: 90_000, interval: 250 })
      .toMatch(
        /a decode step [\d.]+ ms at batch 1, .* at batch 8 .*measured on ([^()]*swiftshader[^()]*) \(GPU kernels on \1\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, Serve lab/i,
      );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone at 390 px', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?${URL_PARAMS}`);
    await expect
      .poll(() => page.getByTestId('serve-gen-summary').textContent(), { timeout: 120_000, interval: 500 })
      .toMatch(/sums right/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, 'serve-390');
    expect(errors).toEqual([]);
    await page.close();
  });
});
