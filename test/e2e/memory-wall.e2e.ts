import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';

// Small enough for SwiftShader (a CPU) to check and time all variants in seconds.
const SMALL = 262144;

describe('memory-wall lab in headless Chromium', () => {
  const app = servedApp();

  it('runs the three variants, checks them against the CPU, and plots them on the roofline', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=memory-wall&size=${SMALL}&samples=3`);
    const points = page.locator('svg.roofline circle.point[data-point^="memory-wall/"]');
    // Three chains plus the three unfused passes timed alone.
    await expect.poll(() => points.count(), { timeout: 150_000, interval: 500 }).toBe(6);
    const variants = await points.evaluateAll((els) => els.map((e) => e.getAttribute('data-variant')));
    expect(variants).toEqual(expect.arrayContaining(['unfused (3 passes)', 'fused', 'fused + vec4']));

    const table = page.locator('table.results');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(6);
    const text = await table.innerText();
    expect(text).toMatch(/fused \+ vec4/);
    // Every chain is checked against the CPU reference; errors are tiny, never NaN.
    const errors3 = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[7]?.textContent ?? '').filter((t) => t !== '—'));
    expect(errors3).toHaveLength(3);
    for (const e of errors3) expect(Number(e)).toBeLessThan(1e-4);
    expect(await page.locator('.mw-summary').innerText()).toContain('2.33×');

    // The device roofs and the reference profile's roof are drawn, with the ridge marked.
    expect(await page.locator('svg.roofline [data-roof="device"]').count()).toBe(1);
    expect(await page.locator('svg.roofline [data-roof="h100-sxm/fp32"]').count()).toBe(1);
    expect(await page.locator('svg.roofline [data-ridge="device"]').count()).toBe(1);

    // Hovering a point shows its numbers; so does focusing it from the keyboard. `force` skips
    // Playwright's wait for two equal animation frames, which a CPU busy with SwiftShader can starve.
    const fusedPoint = page.locator('svg.roofline circle.point[data-variant="fused"]');
    const tip = page.locator('.roofline-tooltip');
    await fusedPoint.hover({ force: true });
    await expect.poll(() => tip.count()).toBe(1);
    expect(await tip.textContent()).toMatch(/fused.*size N = 256\u2009K.*FLOP\/byte.*FLOP\/s.*time/);
    await page.mouse.move(5, 5);
    await expect.poll(() => tip.count()).toBe(0);
    await page.locator('svg.roofline circle.point[data-variant="fused + vec4"]').focus();
    await expect.poll(() => tip.count()).toBe(1);
    expect(await tip.textContent()).toMatch(/fused \+ vec4/);
    await page.locator('svg.roofline circle.point[data-variant="fused + vec4"]').blur();

    // Switching the reference profile redraws its roof without re-running.
    await page.getByLabel('Reference hardware profile').selectOption('apple-m2');
    expect(await page.locator('svg.roofline [data-roof="apple-m2/fp32"]').count()).toBe(1);
    expect(await page.locator('.run-bar .progress').count()).toBe(0);

    await screenshot(page, 'memory-wall');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('explains a size that is not a number or too large, and uses the default', async () => {
    for (const [raw, expected] of [
      ['NaN', /"NaN" is not a number; using 16777216/],
      ['1e12', /outside 65536–67108864 floats; using 16777216 \(the default\)/],
    ] as const) {
      const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      // No variant selected, so the page does not spend minutes on the clamped (large) size on a CPU.
      await page.goto(`${app.url}/?lab=memory-wall&size=${raw}&unfused=false&fused=false&vec4=false`);
      const notice = page.locator('[data-param="size"] .param-notice');
      await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
      expect(await notice.innerText()).toMatch(expected);
      const value = Number(await page.locator('[data-param="size"] input.num-input').inputValue());
      expect(value).toBeGreaterThanOrEqual(65536);
      expect(value).toBeLessThanOrEqual(67108864);
      await expect.poll(() => page.locator('.run-bar [role="alert"]').count(), { timeout: 30_000 }).toBe(1);
      expect(await page.locator('.run-bar [role="alert"]').innerText()).toMatch(/Pick at least one variant/);
      if (raw === '1e12') await screenshot(page, 'memory-wall-clamped');
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
