import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';
import { layoutDefects } from './layoutChecks';

/**
 * The blog example page with two embedded scenarios, in Chromium WITHOUT WebGPU: the GPU
 * scenario must replay its recording (labelled with the adapter), the other must run live.
 */
describe('embeds on a blog page, without WebGPU', () => {
  const app = servedApp({ webgpu: false });

  async function frameFor(page: Page, index: number): Promise<Frame> {
    const handle = await page.locator('iframe.gpu-playground').nth(index).elementHandle();
    const frame = await handle!.contentFrame();
    expect(frame).not.toBeNull();
    return frame!;
  }

  it('shows both scenarios running, sizes the frames from their height messages, and saves a screenshot', async () => {
    const page = await app.browser.newPage({ viewport: { width: 900, height: 1000 } });
    const errors = watchErrors(page);
    const dialogs: string[] = [];
    page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
    await page.goto(`${app.url}/blog-example.html`);

    const srcs = await page
      .locator('iframe.gpu-playground')
      .evaluateAll((els) => els.map((e) => (e as HTMLIFrameElement).src));
    expect(srcs).toHaveLength(2);
    const ids = srcs.map((s) => new URL(s).searchParams.get('scenario')!);

    for (let i = 0; i < 2; i++) {
      await page.locator('iframe.gpu-playground').nth(i).scrollIntoViewIfNeeded();
      const frame = await frameFor(page, i);
      const scenario = JSON.parse(readFileSync(`scenarios/${ids[i]}.json`, 'utf8'));
      await expect
        .poll(() => frame.locator('.scenario-panel').getAttribute('data-scenario'), { timeout: 30_000 })
        .toBe(ids[i]);
      // Each embed ends up with a results table that has rows: a live run or a replay.
      await expect
        .poll(() => frame.locator('table.results tbody tr').count(), { timeout: 90_000, interval: 500 })
        .toBeGreaterThan(0);
      if (scenario.recording) {
        const note = frame.getByTestId('replay-note');
        await expect.poll(() => note.count(), { timeout: 10_000 }).toBe(1);
        expect(await note.innerText()).toContain(scenario.recording.adapter);
      } else {
        expect(await frame.getByTestId('replay-note').count()).toBe(0);
      }
      expect(await frame.locator('.error-text').count()).toBe(0);
      // The widget's height message reached the page and resized the frame to fit its content.
      await expect
        .poll(
          async () => {
            const frameHeight = await page
              .locator('iframe.gpu-playground')
              .nth(i)
              .evaluate((f) => f.getBoundingClientRect().height);
            const content = await frame.evaluate(() => document.documentElement.scrollHeight);
            return Math.abs(frameHeight - content) <= 4 && frameHeight !== 560;
          },
          { timeout: 15_000 },
        )
        .toBe(true);
    }
    const shot = await screenshot(page, 'embed');
    expect(shot).toMatch(/embed\.png$/);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('follows step messages from the page and ignores unknown ones', async () => {
    const page = await app.browser.newPage({ viewport: { width: 900, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/blog-example.html`);
    const frame = await frameFor(page, 1);
    const src = await page.locator('iframe.gpu-playground').nth(1).getAttribute('src');
    const initial = new URL(src!, app.url).searchParams.get('step') ?? '1';
    const target = initial === '1' ? 2 : 1;
    await expect
      .poll(() => frame.locator('.scenario-panel').getAttribute('data-step'), { timeout: 30_000 })
      .toBe(initial);
    await page.evaluate((step) => {
      const w = document.querySelectorAll('iframe')[1].contentWindow!;
      w.postMessage({ type: 'gpu-playground:eval', code: 'document.body.remove()' }, '*');
      w.postMessage({ type: 'gpu-playground:step', step: String(step) }, '*');
      w.postMessage({ type: 'gpu-playground:step', step: 999 }, '*');
      w.postMessage({ type: 'gpu-playground:step', step }, '*');
    }, target);
    await expect
      .poll(() => frame.locator('.scenario-panel').getAttribute('data-step'), { timeout: 10_000 })
      .toBe(String(target));
    expect(await frame.locator('body').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('exports the replayed table as CSV and JSON and the chart as SVG from inside the embed', async () => {
    const page = await app.browser.newPage({ viewport: { width: 700, height: 900 }, acceptDownloads: true });
    const errors = watchErrors(page);
    const blog = readFileSync('public/blog-example.html', 'utf8');
    const gpuId = [...blog.matchAll(/embed\.html\?scenario=([a-z0-9-]+)/g)]
      .map((m) => m[1])
      .find((id) => JSON.parse(readFileSync(`scenarios/${id}.json`, 'utf8')).recording);
    expect(gpuId).toBeTruthy();
    const step = blog.match(new RegExp(`scenario=${gpuId}&amp;step=(\\d+)`))?.[1] ?? '1';
    await page.goto(`${app.url}/embed.html?scenario=${gpuId}&step=${step}`);
    await expect
      .poll(() => page.locator('table.results tbody tr').count(), { timeout: 60_000, interval: 500 })
      .toBeGreaterThan(0);

    const table = page.locator('.results-wrap').first();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      table.getByRole('button', { name: 'CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const csvText = readFileSync((await csv.path())!, 'utf8');
    const lines = csvText.trim().split('\n');
    expect(lines.length).toBe((await page.locator('.results-wrap').first().locator('tbody tr').count()) + 1);

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      table.getByRole('button', { name: 'JSON' }).click(),
    ]);
    const rows = JSON.parse(readFileSync((await json.path())!, 'utf8'));
    expect(Array.isArray(rows) && rows.length).toBe(lines.length - 1);

    const chart = page.locator('.chart-frame').first();
    if (await chart.count()) {
      const [svg] = await Promise.all([
        page.waitForEvent('download'),
        chart.getByRole('button', { name: /SVG/ }).click(),
      ]);
      expect(readFileSync((await svg.path())!, 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const [png] = await Promise.all([
        page.waitForEvent('download'),
        chart.getByRole('button', { name: /PNG/ }).click(),
      ]);
      expect(
        readFileSync((await png.path())!)
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
    }
    await screenshot(page, 'embed-export');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('replays a run the recording device had to clamp, and says what it changed', async () => {
    const id = 'decode-why-quantize';
    const scenario = JSON.parse(readFileSync(`scenarios/${id}.json`, 'utf8'));
    const run = scenario.recording.runs[0];
    expect(run.requested.N).not.toBe(run.params.N);
    const page = await app.browser.newPage({ viewport: { width: 900, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/embed.html?scenario=${id}&step=1`);
    await expect
      .poll(() => page.locator('table.results tbody tr').count(), { timeout: 60_000, interval: 500 })
      .toBeGreaterThan(0);
    const note = page.getByTestId('replay-note');
    await expect.poll(() => note.count(), { timeout: 10_000 }).toBe(1);
    const text = await note.innerText();
    expect(text).toContain(scenario.recording.adapter);
    expect(text).toContain(run.clamped[0]);
    await screenshot(page, 'embed-decode-replay');
    expect(errors).toEqual([]);
    await page.close();
  });

  /**
   * A compact widget (issue 31): the picture, the key controls and a compact result; the rest of the
   * lab one link away. Height budgets are for a blog's column: about one and a half screens on a
   * desktop and under two and a half phone screens (the scenario’s step text included); it was ~2,550 px.
   */
  const BUDGET: Record<number, number> = { 1280: 1300, 390: 2000 };
  it.each([
    ['a replayed GPU scenario', 'scenario=memory-wall-fusion&step=2'],
    ['a simulated lab', 'lab=kv-cache'],
  ])('%s fits its height budget at 1280 and 390 px, with nothing clipped', async (_, query) => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/embed.html?${query}`);
    await expect
      .poll(() => page.locator('table.results tbody tr').count(), { timeout: 60_000, interval: 500 })
      .toBeGreaterThan(0);
    // The explanation and the other groups of controls stay in the full lab, behind one link.
    expect(await page.locator('.lab-explain').count()).toBe(0);
    const more = page.locator('.embed-more a');
    expect(new URL((await more.getAttribute('href'))!).pathname).not.toMatch(/embed\.html$/);
    const problems: string[] = [];
    for (const w of [1280, 390]) {
      await page.setViewportSize({ width: w, height: w > 500 ? 900 : 844 });
      await page.waitForTimeout(400);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      if (height > BUDGET[w]) problems.push(`${w} px: ${height} px tall, budget ${BUDGET[w]}`);
      for (const d of await layoutDefects(page, 'main.embed')) problems.push(`${w} px: ${d.what}: ${d.where}`);
      // Its table fits or scrolls in a focusable, labelled box that ends inside the window.
      const box = await page
        .locator('.results-scroll')
        .first()
        .evaluate((el) => ({
          tab: el.getAttribute('tabindex'),
          label: el.getAttribute('aria-label') ?? '',
          right: el.getBoundingClientRect().right,
          fits: el.scrollWidth <= el.clientWidth + 1,
          scrolls: getComputedStyle(el).overflowX === 'auto',
        }));
      expect(box.tab).toBe('0');
      expect(box.label.length).toBeGreaterThan(10);
      expect(box.fits || box.scrolls).toBe(true);
      if (box.right > w + 1) problems.push(`${w} px: the table's box ends at ${box.right} px`);
      await screenshot(page, `embed-compact-${query.replace(/[^a-z0-9]+/gi, '-')}-${w}`);
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
