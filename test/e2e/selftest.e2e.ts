import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';
import { HOSTILE, SHARED_FRAGMENT } from './selftestFixture';

/**
 * "Check my GPU" on SwiftShader at phone width: the activation and precision family only
 * (`&family=elementwise`, four variants that compile in about a second) keeps this short; the
 * unit tests and `npm run selftest` cover every family.
 */
describe('Check my GPU', () => {
  const app = servedApp();

  it('runs the checks with rows as they finish, and shares the report as JSON and as a link that opens read-only', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    try {
      await page.goto(`${app.url}/?selftest&family=elementwise`);
      expect(await page.getByTestId('selftest-scope').innerText()).toMatch(
        /^4 variants of Activation and precision only/,
      );
      await page.getByTestId('selftest-run').click();
      await page.getByTestId('selftest-share').waitFor({ timeout: 150_000 });
      const rows = page.getByTestId('selftest-row');
      expect(await rows.count()).toBe(4);
      expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-status')))).toEqual([
        'pass',
        'pass',
        'pass',
        'pass',
      ]);
      expect(await page.getByTestId('selftest-summary').innerText()).toMatch(/^4 passed, none failed, 0 skipped in /);
      expect(await page.getByTestId('selftest-adapter').innerText()).toMatch(/swiftshader/i);
      const json = JSON.parse(await page.getByTestId('selftest-json').inputValue());
      expect(json).toMatchObject({ format: 1, summary: { pass: 4, fail: 0, skip: 0 } });
      expect(json.adapter.features).not.toContain('shader-f16');
      expect(json.environment).toMatch(/Chrome/);
      // The page fits a phone: only the results table scrolls sideways, inside its own region.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'selftest-phone');

      const link = await page.getByTestId('selftest-link').getAttribute('href');
      expect(link).toMatch(/\?selftest#report=[A-Za-z0-9_-]+$/);
      const shared = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
      try {
        await shared.goto(link!);
        await shared.getByTestId('selftest-shared').waitFor({ timeout: 30_000 });
        expect(await shared.getByTestId('selftest-row').count()).toBe(4);
        expect(await shared.getByTestId('selftest-run').count()).toBe(0);
      } finally {
        await shared.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows a hostile shared report as text and a damaged link as a named problem', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    try {
      await page.goto(`${app.url}/?selftest${SHARED_FRAGMENT}`);
      await page.getByTestId('selftest-shared').waitFor({ timeout: 30_000 });
      const text = await page.getByTestId('selftest-shared').innerText();
      expect(text).toContain(HOSTILE);
      expect(text).toContain('1 failed, 1 passed, 1 skipped');
      expect(text).toContain('8 to 32 wide');
      expect(await page.locator('main img').count()).toBe(0);
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

      await page.goto(`${app.url}/?selftest#report=bm90IGEgcmVwb3J0`);
      await page.getByTestId('selftest-link-error').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('selftest-link-error').innerText()).toMatch(/damaged/);
      expect(await page.getByTestId('selftest-run').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
