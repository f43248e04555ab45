import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';

// Another lab folder being written at the same time may be reported as left out; that is not ours.
const ours = (e: string) => !/Lab left out: src\/labs\/(?!cluster\/)/.test(e);

describe('cluster lab in headless Chromium', () => {
  const app = servedApp();

  it('opens ?lab=cluster, changes a control, and the chart and URL follow', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=cluster&crashAtHour=40`);
    const memory = page.locator('figure', { hasText: 'Memory per GPU' });
    await expect.poll(() => memory.locator('svg g[data-strategy]').count(), { timeout: 30_000, interval: 200 }).toBe(4);
    // Default: 6.7B on 512 H100s with ZeRO-3. DDP's bar is over the 80 GB line.
    expect(await memory.locator('g[data-strategy="ddp"]').textContent()).toMatch(/out of memory/);
    expect(await memory.locator('g[data-strategy="zero3"]').textContent()).not.toMatch(/out of memory/);
    expect(await page.locator('figure', { hasText: 'MFU vs GPU count' }).locator('path').count()).toBeGreaterThan(3);
    // The schedule player reveals the boxes step by step: backward passes appear after the first forwards.
    await expect
      .poll(() => page.locator('figure', { hasText: 'stages ×' }).locator('rect[fill="var(--compute)"]').count(), {
        timeout: 20_000,
        interval: 200,
      })
      .toBeGreaterThan(0);
    expect(await page.locator('figure', { hasText: 'Young/Daly' }).locator('circle').count()).toBe(17);
    expect(await page.locator('table.results').first().innerText()).toMatch(/ZeRO-3/);
    await screenshot(page, 'cluster-1280');

    // Pick DDP: its bar moves to the top, the URL records it.
    await page.getByLabel('Data parallelism').selectOption('ddp');
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/strategy=ddp/);
    await expect
      .poll(async () => memory.locator('g[data-strategy]').first().getAttribute('data-strategy'), { timeout: 20_000 })
      .toBe('ddp');
    // A layout that cannot run is explained, not blank.
    await page.goto(`${app.url}/?lab=cluster&gpus=100&tp=8`);
    await expect
      .poll(() => page.getByRole('alert').first().innerText(), { timeout: 20_000 })
      .toMatch(/multiple of tensor × pipeline/);
    expect(errors.filter(ours)).toEqual([]);
    await page.close();
  });

  it('groups the sidebar: key controls first, collapsed sections open from the keyboard, a changed value is never hidden', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    // crashAtHour sits in the collapsed "Failures and recovery" group: set in the URL, so that group starts open.
    await page.goto(`${app.url}/?lab=cluster&crashAtHour=40`);
    const sidebar = page.locator('.lab-controls');
    await expect.poll(() => sidebar.locator('.param-group[data-group]').count(), { timeout: 30_000 }).toBe(8);
    expect(await sidebar.locator('.param-group[data-group]').first().getAttribute('data-group')).toBe('main');
    expect(await sidebar.locator('[data-group="main"] .param').count()).toBe(5);
    const failures = sidebar.locator('[data-group="failures"] .param-group-toggle');
    expect(await failures.getAttribute('aria-expanded')).toBe('true');
    const network = sidebar.locator('[data-group="network"] .param-group-toggle');
    expect(await network.getAttribute('aria-expanded')).toBe('false');
    expect(await sidebar.locator('[data-param="efficiency"]').isVisible()).toBe(false);
    await sidebar.screenshot({ path: 'test-results/cluster-sidebar-1280.png' });
    // Keyboard: focus the toggle, Enter opens the section and its controls can be reached.
    await network.focus();
    await page.keyboard.press('Enter');
    expect(await network.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => sidebar.locator('[data-param="efficiency"]').isVisible()).toBe(true);
    // Closed again with a changed value inside, its title says so.
    await sidebar.locator('[data-param="efficiency"] .num-input').fill('0.7');
    await sidebar.locator('[data-param="efficiency"] .num-input').press('Enter');
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/efficiency=0.7/);
    await network.focus();
    await page.keyboard.press('Space');
    expect(await network.innerText()).toMatch(/1 changed/);
    expect(errors.filter(ours)).toEqual([]);
    await page.close();
  });

  it('fits a phone-width screen', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    await page.goto(
      `${app.url}/?lab=cluster&model=70b&gpus=1024&tp=8&pp=4&sp=true&recompute=selective&schedule=interleaved&crashAtHour=40`,
    );
    await expect
      .poll(() => page.locator('figure', { hasText: 'Memory per GPU' }).locator('svg g[data-strategy]').count(), {
        timeout: 30_000,
        interval: 200,
      })
      .toBe(4);
    await screenshot(page, 'cluster-390');
    await page.locator('.lab-controls').screenshot({ path: 'test-results/cluster-sidebar-390.png' });
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('.lab-main *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5)
        .map((e) => `${e.tagName}.${e.className}`),
    );
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `wider than the screen: ${wide.join(', ')}`).toBeLessThanOrEqual(1);
    expect(errors.filter(ours)).toEqual([]);
    await page.close();
  });
});
