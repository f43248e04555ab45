import { readFileSync } from 'node:fs';
import { deflateSync, strFromU8, strToU8, unzipSync } from 'fflate';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';

type P5Node = DefaultTreeAdapterMap['node'];
type P5Element = DefaultTreeAdapterMap['element'];
const p5all = (n: P5Node, out: P5Element[] = []): P5Element[] => {
  if ('tagName' in n) out.push(n);
  for (const c of 'childNodes' in n ? n.childNodes : []) p5all(c as P5Node, out);
  return out;
};
const p5text = (n: P5Node): string =>
  n.nodeName === '#text'
    ? (n as { value: string }).value
    : ('childNodes' in n ? n.childNodes : []).map((c) => p5text(c as P5Node)).join('');

/** A board as a share link's fragment, the way an attacker would craft one. */
const fragmentOf = (board: unknown) =>
  `board=${Buffer.from(deflateSync(strToU8(JSON.stringify(board)))).toString('base64url')}`;

/** Clicks the first enabled Pin button matching `name` once it exists (the lab has finished a run). */
async function pin(page: Page, name: RegExp | string): Promise<void> {
  const button = page
    .getByRole('button', { name, exact: typeof name === 'string' })
    .and(page.locator(':not([disabled])'))
    .first();
  await expect.poll(() => button.count(), { timeout: 120_000, interval: 250 }).toBe(1);
  await button.click();
}

async function boardCount(page: Page): Promise<number> {
  return page.getByTestId('my-board').getByTestId('evidence-item').count();
}

describe('interview mode in headless Chromium', () => {
  const app = servedApp();

  it('pins from two labs, survives a reload, shares, presents, exports and checks a rubric', async () => {
    const context = await app.browser.newContext({
      viewport: { width: 1280, height: 900 },
      reducedMotion: 'reduce',
      acceptDownloads: true,
    });
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
    // The sanitized chart is a well-formed SVG image: the browser decodes and draws it.
    await expect
      .poll(() =>
        page
          .getByTestId('my-board')
          .locator('img.evidence-chart')
          .evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 100),
      )
      .toBe(true);
    // Simulations say so; nothing simulated claims to be measured anywhere.
    expect(await page.getByTestId('my-board').innerText()).not.toMatch(/· measured on /);
    expect((await page.getByTestId('my-board').innerText()).match(/simulated \(deterministic model\)/g)?.length).toBe(
      3,
    );

    // The board lives in the browser: a reload keeps every item, in order.
    await page.reload();
    await expect.poll(() => boardCount(page)).toBe(3);
    expect(await page.getByTestId('my-board').getByTestId('evidence-item').locator('h3').allInnerTexts()).toEqual(
      titles,
    );

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
    expect(await other.getByTestId('shared-board').getByTestId('evidence-item').locator('h3').allInnerTexts()).toEqual(
      titles,
    );
    expect(await other.getByTestId('shared-board').innerText()).toMatch(
      /stored values from a shared link, not re-run here/,
    );
    expect(await other.getByTestId('my-board').getByTestId('evidence-item').count()).toBe(0);
    await screenshot(other, 'interview-shared-390');
    expect(otherErrors).toEqual([]);
    await fresh.close();

    // The HTML hand-in opens with no network and shows the chart and tables.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export HTML' }).click(),
    ]);
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

  // Issue 24: a crafted shared board, added to a board with the candidate's own notes, must not
  // hide, cover or change anything in the HTML hand-in.
  it('a crafted shared link cannot hide or forge anything in the hand-in', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const dialogs: string[] = [];
    page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
    const at = '2026-12-01T12:00:00.000Z';
    const mine = (id: string, title: string, note: string) => ({
      id,
      lab: 'kv-cache',
      labTitle: 'KV cache',
      params: { blockSize: 16 },
      kind: 'table',
      title,
      adapter: null,
      source: 'simulated',
      pinnedAt: at,
      table: { columns: ['allocator', 'waste (%)'], rows: [['paged', 1.6]] },
      note,
    });
    const notes = [
      'Paged allocation wastes under 4% here.',
      'So the fix is block size, not memory.\nSecond line of my note.',
    ];
    await page.goto(`${app.url}/?board`);
    await page.evaluate((b) => localStorage.setItem('gpu-playground:board', JSON.stringify(b)), {
      version: 2,
      items: [mine('mine-1', 'My first table', notes[0]), mine('mine-2', 'My second table', notes[1])],
    });
    const chart = (id: string, title: string, svg: string, extra: object = {}) => ({
      id,
      lab: 'memory-wall',
      labTitle: 'Memory wall',
      params: { size: 65536 },
      kind: 'chart',
      title,
      adapter: 'attacker/gpu',
      source: 'measured',
      pinnedAt: at,
      svg,
      ...extra,
    });
    const crafted = {
      version: 2,
      items: [
        chart(
          'x1',
          'Desc swallows the rest',
          '<svg viewBox="0 0 100 50"><desc>a <b>b</b> <div>c</desc><rect width="50" height="20" fill="#f80"/></svg>',
        ),
        chart(
          'x2',
          'Covers the page',
          '<svg style="position:fixed;inset:0;z-index:99;width:100vw;height:100vh;background:#fff" viewBox="0 0 100 50"><text x="5" y="30" style="font-size:20px;fill:red">FORGED</text></svg>',
        ),
        chart(
          'x3',
          'Title breakout',
          '<svg><title><p>t</p></title></svg><h2>99. Forged item</h2><script>window.__pwned=1</script>',
        ),
        chart('x4', 'Redirects its link', '<svg viewBox="0 0 10 10"><circle r="4" cx="5" cy="5"/></svg>', {
          params: { lab: 'attention', size: 65536 },
        }),
        { id: 'x5', kind: 'hologram', title: 'From the future' },
      ],
    };
    // Opened as a visitor opens a link: a fresh page load (not a same-page hash change).
    await page.goto('about:blank');
    await page.goto(`${app.url}/?board#${fragmentOf(crafted)}`);
    const shared = page.getByTestId('shared-board');
    await expect.poll(() => shared.getByTestId('evidence-item').count(), { timeout: 30_000 }).toBe(4);
    expect(await shared.innerText()).toMatch(
      /measured on attacker\/gpu · 2026-12-01 12:00 UTC · from a shared link: measured elsewhere, not on this device/,
    );
    expect(await shared.innerText()).toMatch(/1 item skipped: it names no valid lab/);
    // Re-run goes to the item's own lab, whatever its parameters are named.
    expect(await shared.getByTestId('evidence-item').nth(3).getByRole('link').getAttribute('href')).toMatch(
      /\?lab=memory-wall&size=65536$/,
    );
    await shared.getByRole('button', { name: 'Add to my board' }).click();
    await expect.poll(() => page.getByTestId('merge-note').innerText()).toBe('Added 4 items to your board.');
    const mineBoard = page.getByTestId('my-board');
    await expect.poll(() => mineBoard.getByTestId('evidence-item').count()).toBe(6);
    const titles = [
      'My first table',
      'My second table',
      'Desc swallows the rest',
      'Covers the page',
      'Title breakout',
      'Redirects its link',
    ];

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      mineBoard.getByRole('button', { name: 'Export HTML' }).click(),
    ]);
    const html = readFileSync((await download.path())!, 'utf8');
    expect(await page.getByTestId('export-note').count()).toBe(0);
    // The Markdown hand-in draws every chart to PNG in the browser, and the notes stay inside their quotes.
    const [zipDownload] = await Promise.all([
      page.waitForEvent('download'),
      mineBoard.getByRole('button', { name: 'Export Markdown + PNG' }).click(),
    ]);
    const zip = unzipSync(readFileSync((await zipDownload.path())!));
    expect(Object.keys(zip).sort()).toEqual([
      'board.md',
      'images/item-3.png',
      'images/item-4.png',
      'images/item-5.png',
      'images/item-6.png',
    ]);
    for (const name of Object.keys(zip).filter((n) => n.endsWith('.png')))
      expect([...zip[name].subarray(1, 4)]).toEqual([80, 78, 71]);
    expect(strFromU8(zip['board.md'])).toContain('> So the fix is block size, not memory.\n> Second line of my note.');
    expect(await page.getByTestId('export-note').count()).toBe(0);

    // Parsed back with parse5: every item, in order, with the notes exactly as written.
    const parseErrors: string[] = [];
    const els = p5all(parse(html, { onParseError: (e) => parseErrors.push(e.code) }) as unknown as P5Node);
    expect(parseErrors).toEqual([]);
    const sections = els.filter((e) => e.tagName === 'section');
    expect(sections.map((sec) => p5text(p5all(sec).find((e) => e.tagName === 'h2')!))).toEqual(
      titles.map((t, i) => `${i + 1}. ${t}`),
    );
    expect(els.filter((e) => e.tagName === 'blockquote').map(p5text)).toEqual(notes);
    // The shared items still say, in the hand-in, that they were measured elsewhere.
    expect(sections.slice(2).map((sec) => p5text(sec))).toEqual(
      titles
        .slice(2)
        .map(() =>
          expect.stringContaining(
            'measured on attacker/gpu · 2026-12-01 12:00 UTC · from a shared link: measured elsewhere, not on this device',
          ),
        ),
    );
    expect(
      els.filter(
        (e) =>
          ['script', 'foreignObject', 'img', 'iframe'].includes(e.tagName) || e.attrs.some((a) => a.name === 'style'),
      ),
    ).toEqual([]);

    // Opened as a page: every item's heading and note is visible (nothing covers it) and no chart paints outside its section.
    const doc = await (
      await app.browser.newContext({ offline: true, viewport: { width: 1000, height: 800 } })
    ).newPage();
    await doc.setContent(html);
    const report = await doc.evaluate(() =>
      [...document.querySelectorAll('section')].map((sec) => {
        const h2 = sec.querySelector('h2')!;
        h2.scrollIntoView({ block: 'center' });
        const r = h2.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + 5, r.top + r.height / 2);
        const box = sec.getBoundingClientRect();
        const outside = [...sec.querySelectorAll('svg')].filter((svg) => {
          const b = svg.getBoundingClientRect();
          return getComputedStyle(svg).position !== 'static' || b.left < box.left - 1 || b.right > box.right + 1;
        }).length;
        return {
          title: h2.textContent,
          visible: Boolean(hit && h2.contains(hit)),
          note: sec.querySelector('blockquote')?.textContent ?? null,
          outside,
        };
      }),
    );
    expect(report).toEqual(
      titles.map((t, i) => ({ title: `${i + 1}. ${t}`, visible: true, note: notes[i] ?? null, outside: 0 })),
    );
    expect(await doc.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(doc, 'interview-export-crafted');
    await doc.context().close();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at the 500-item cap, adding a shared board says what did not fit and lets the user choose', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const row = (id: string, title: string) => ({
      id,
      lab: 'kv-cache',
      labTitle: 'KV cache',
      params: {},
      kind: 'table',
      title,
      adapter: null,
      source: 'simulated',
      pinnedAt: '2026-12-01T12:00:00.000Z',
      table: { columns: ['x'], rows: [[1]] },
    });
    await page.goto(`${app.url}/?board`);
    await page.evaluate((b) => localStorage.setItem('gpu-playground:board', JSON.stringify(b)), {
      version: 2,
      items: Array.from({ length: 498 }, (_, i) => row(`m${i}`, `Mine ${i}`)),
    });
    await page.goto('about:blank');
    await page.goto(
      `${app.url}/?board#${fragmentOf({ version: 2, items: Array.from({ length: 5 }, (_, i) => row(`s${i}`, `Shared ${i}`)) })}`,
    );
    const shared = page.getByTestId('shared-board');
    await expect.poll(() => shared.getByTestId('evidence-item').count(), { timeout: 30_000 }).toBe(5);
    await shared.getByRole('button', { name: 'Add to my board' }).click();
    await expect
      .poll(() => page.getByTestId('merge-note').innerText())
      .toBe(
        'Your board holds at most 500 items and has room for 2 more, so nothing was added. These 3 would not fit: “Shared 2”, “Shared 3”, “Shared 4”. Add the 2 that fit, add items one by one below, or unpin some of yours first.',
      );
    expect(await page.getByTestId('nav-board').innerText()).toBe('Evidence board (498)');
    // The user picks one item, then the rest that fit.
    await shared.getByRole('button', { name: 'Add Shared 3 to my board' }).click();
    await expect.poll(() => page.getByTestId('merge-note').innerText()).toBe('Added 1 item to your board.');
    await shared.getByRole('button', { name: 'Add to my board' }).click();
    await expect
      .poll(() => page.getByTestId('merge-note').innerText())
      .toMatch(/room for 1 more, so nothing was added. These 3 would not fit: “Shared 1”, “Shared 2”, “Shared 4”/);
    await shared.getByRole('button', { name: 'Add the 1 that fit' }).click();
    await expect.poll(() => page.getByTestId('nav-board').innerText()).toBe('Evidence board (500)');
    const titles = await page.getByTestId('my-board').getByTestId('evidence-item').locator('h3').allInnerTexts();
    expect(titles.slice(-2)).toEqual(['499. Shared 3', '500. Shared 0']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
