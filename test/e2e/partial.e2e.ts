import { describe, expect, it } from 'vitest';
import { servedApp, watchErrors } from './harness';

/**
 * Long runs show what they have finished while they go on (issue 31, "Progress you can see"): a
 * results row appears while the Run bar still shows Stop, that is, before the full run ends. An
 * observer in the page records it, so a row that appears and a run that ends between two polls
 * are not missed; no wall time is asserted.
 */
const LABS = [
  // Six rows (three chains, three passes alone): rows stream one by one.
  { id: 'memory-wall', query: 'size=262144&samples=3', full: 6 },
  // Five weight formats, each a row as soon as it is checked and timed.
  { id: 'decode', query: 'N=2048&K=256&M=1', full: 5 },
  // The tiled kernel's row first, the N×N path and the sweep after it.
  { id: 'attention', query: 'n=256&heads=1&sweep=true', full: 3 },
] as const;

declare global {
  interface Window {
    __partialSeen?: { rows: number; atProgress: string } | null;
  }
}

describe('partial results while a lab runs', () => {
  const app = servedApp();

  it.each(LABS)('$id shows a finished row before its run ends', async ({ id, query, full }) => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    await page.addInitScript(() => {
      window.__partialSeen = null;
      const look = () => {
        if (window.__partialSeen) return;
        const running = document.querySelector('.lab-controls .run-bar .btn-stop');
        // The lab's first results table (attention has more than one; the others fill in later).
        const rows = document.querySelector('.lab-results table.results')?.querySelectorAll('tbody tr').length ?? 0;
        if (running && rows > 0)
          window.__partialSeen = { rows, atProgress: document.querySelector('.lab .progress-text')?.textContent ?? '' };
      };
      new MutationObserver(look).observe(document, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    try {
      await page.goto(`${app.url}/?lab=${id}&${query}`);
      // The run ends: Stop is gone and the table holds every row.
      await expect
        .poll(
          async () =>
            (await page.locator('.lab-controls .run-bar .btn-stop').count()) === 0 &&
            (await page.locator('.lab-results table.results').first().locator('tbody tr').count()) >= full,
          {
            timeout: 180_000,
            interval: 500,
          },
        )
        .toBe(true);
      const seen = await page.evaluate(() => window.__partialSeen);
      expect(seen, 'a results row while the run was still going').not.toBeNull();
      // Fewer rows than the finished table: what was seen was the run's partial result.
      expect(seen!.rows).toBeGreaterThan(0);
      expect(seen!.rows).toBeLessThan(full);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
