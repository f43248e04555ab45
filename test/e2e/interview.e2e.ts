import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';

/** Clicks the first enabled Pin button matching `name` once it exists (the lab has finished a run). */
async function pin(page: Page, name: RegExp | string): Promise<void> {
  const button = page.getByRole('button', { name, exact: typeof name === 'string' }).and(page.locator(':not([disabled])')).first();
  await expect.poll(() => button.count(), { timeout: 120_000, interval: 250 }).toBe(1);
  await button.click();
}

async function boardCount(page: Page): Promise<number> {
  return page.getByTestId('my-board').getByTestId('evidence-item').count();
}

describe('interview mode in headless Chromium', () => {
  const app = servedApp();

  it('pins from two labs, survives a reload, shares, presents, exports and checks a rubric', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
    const page = await context.newPage();
    const errors = watchErrors(page);

    // Lab 1: the KV-cache simulation (runs without WebGPU): a results table and a chart.
    await page.goto(`${app.url}/?lab=kv-cache`);
    await pin(page, 'Pin');
    await pin(page, /^Pin Throughput/);
    // Lab 2: the dataloader simulation: its results table.
    await page.getByRole('link', { name: 'Data pipeline' }).first().click();
    await pin(page, 'Pin');
    await expect.poll(() => page.getByTestId('nav-board').innerText()).toMatch(/Evidence board \(3\)/);

    await page.getByTestId('nav-board').click();
    await expect.poll(() => boardCount(page)).toBe(3);
    const titles = await page.getByTestId('my-board').getByTestId('evidence-item').locator('h3').allInnerTexts();
    await screenshot(page, 'interview-board-1280');
    expect(await page.getByTestId('my-board').locator('img.evidence-chart').count()).toBe(1);
    // Simulations say so; nothing simulated claims to be measured on this device.
    expect(await page.getByTestId('my-board').innerText()).not.toMatch(/measured on this device/);
    expect((await page.getByTestId('my-board').innerText()).match(/simulated \(deterministic model\)/g)?.length).toBe(3);

    // The board lives in the browser: a reload keeps every item, in order.
    await page.reload();
    await expect.poll(() => boardCount(page)).toBe(3);
    expect(await page.getByTestId('my-board').getByTestId('evidence-item').locator('h3').allInnerTexts()).toEqual(titles);

    // Presenter mode, by keyboard.
    await page.getByRole('button', { name: 'Present' }).click();
    await expect.poll(() => page.getByTestId('presenter-position').innerText()).toBe('1 / 3');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('presenter-position').innerText()).toBe('2 / 3');
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('presenter-position').innerText()).toBe('3 / 3');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('presenter-position').innerText()).toBe('2 / 3');
    await screenshot(page, 'interview-presenter-1280');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('presenter').count()).toBe(0);

    // The share link reproduces the items in a fresh browser context (empty storage).
    await page.getByRole('button', { name: 'Share link' }).click();
    await expect.poll(() => page.url()).toMatch(/\?board#board=[A-Za-z0-9_-]+$/);
    const link = page.url();
    const fresh = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
    const other = await fresh.newPage();
    const otherErrors = watchErrors(other);
    await other.goto(link);
    await expect.poll(() => other.getByTestId('shared-board').getByTestId('evidence-item').count()).toBe(3);
    expect(await other.getByTestId('shared-board').getByTestId('evidence-item').locator('h3').allInnerTexts()).toEqual(titles);
    expect(await other.getByTestId('shared-board').innerText()).toMatch(/stored values from the shared link/);
    expect(await other.getByTestId('my-board').getByTestId('evidence-item').count()).toBe(0);
    await screenshot(other, 'interview-shared-390');
    expect(otherErrors).toEqual([]);
    await fresh.close();

    // The HTML hand-in opens with no network and shows the chart and tables.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export HTML' }).click()]);
    const html = readFileSync((await download.path())!, 'utf8');
    const offline = await app.browser.newContext({ offline: true, viewport: { width: 1000, height: 800 } });
    const requests: string[] = [];
    offline.on('request', (r) => requests.push(r.url()));
    const doc = await offline.newPage();
    await doc.setContent(html);
    expect(await doc.locator('section').count()).toBe(3);
    const box = await doc.locator('svg').first().boundingBox();
    expect(box && box.width > 100 && box.height > 50).toBe(true);
    expect(await doc.locator('table').count()).toBeGreaterThanOrEqual(2);
    expect(requests.filter((u) => !u.startsWith('data:') && u !== 'about:blank')).toEqual([]);
    await screenshot(doc, 'interview-export-html');
    await offline.close();

    // A session's rubric is checked against what was pinned.
    await page.goto(`${app.url}/?interview=paged-attention-fragmentation`);
    await expect.poll(() => page.getByTestId('rubric-line').count()).toBeGreaterThanOrEqual(3);
    const met = await page.locator('[data-testid="rubric-line"][data-met="yes"]').count();
    expect(met).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('rubric-score').innerText()).toMatch(new RegExp(`\\(${met} of \\d+ pinned\\)`));
    await screenshot(page, 'interview-session-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'interview-session-390');
    expect(errors).toEqual([]);
    await context.close();
  });
});
