import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LABS } from '../../src/labs/registry';
import { screenshot, servedApp, settled, watchErrors } from './harness';
import { layoutDefects } from './layoutChecks';

/**
 * Every lab at a desktop width and a phone width, after its first run: screenshots to look at
 * (test-results/screens-<lab>-<width>.png) and the defects a screenshot shows, checked
 * (layoutChecks.ts): nothing wider than the page, nothing sticking out of its column unless it
 * scrolls there, no text cut off, no chart text below 10 px, no two chart labels or legend items
 * on top of each other.
 */
const WIDTHS = [1280, 390] as const;

/** Labs without a chart on opening: the workbench runs only on demand (its own Check button). */
const NO_CHART_UNTIL_RUN = new Set(['workbench']);

/**
 * What the first screen of a phone holds (run in the browser): the main picture's first chart
 * (an svg or canvas in the picture region, at least 40 px each way) and the first enabled
 * parameter control, each with its top above the fold and its box inside the window.
 */
function firstScreen(
  page: Page,
): Promise<{ chartTop: number | null; chartBottom: number | null; controlTop: number | null; fold: number }> {
  return page.evaluate(() => {
    const fold = window.innerHeight;
    const top = (el: Element | undefined) => (el ? el.getBoundingClientRect().top + window.scrollY : null);
    const chart = [...document.querySelectorAll('.lab-picture svg, .lab-picture canvas, .lab-picture figure')].find(
      (e) => {
        const r = e.getBoundingClientRect();
        return r.width >= 40 && r.height >= 40;
      },
    );
    const control = [...document.querySelectorAll('.lab-controls .param input, .lab-controls .param select')].find(
      (e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && !(e as HTMLInputElement).disabled;
      },
    );
    const frame = chart?.closest('.chart-frame') ?? chart;
    const bottom = frame ? frame.getBoundingClientRect().bottom + window.scrollY : null;
    return { chartTop: top(chart), chartBottom: bottom, controlTop: top(control), fold };
  });
}

describe('every lab at 1280 px and 390 px', () => {
  const app = servedApp();

  it.each(LABS.map((l) => l.id))('%s: no overflow or overlap', async (id) => {
    const page = await app.browser.newPage({ viewport: { width: WIDTHS[0], height: 900 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    try {
      await page.goto(`${app.url}/?lab=${id}`);
      await settled(page, 120_000);
      const defects: string[] = [];
      for (const w of WIDTHS) {
        await page.setViewportSize({ width: w, height: w > 500 ? 900 : 844 });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(300);
        await screenshot(page, `screens-${id}-${w}`);
        for (const d of await layoutDefects(page)) defects.push(`${w} px: ${d.what}: ${d.where}`);
        if (w < 500) {
          // The first screen of a phone (issue 31): the lab's picture and a key control before any scrolling.
          await page.screenshot({ path: `test-results/screens-${id}-${w}-first.png` });
          const first = await firstScreen(page);
          if (!NO_CHART_UNTIL_RUN.has(id) && (first.chartTop === null || first.chartTop >= first.fold))
            defects.push(`${w} px: no chart on the first screen (top ${first.chartTop})`);
          if (first.chartBottom !== null && first.chartBottom > first.fold)
            defects.push(`${w} px: the main picture runs past the first screen (ends ${first.chartBottom})`);
          if (first.controlTop === null || first.controlTop >= first.fold - 24)
            defects.push(`${w} px: no control on the first screen (top ${first.controlTop})`);
        }
      }
      expect(defects).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
