import { deflateSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LABS } from '../../src/labs/registry';
import { screenshot, servedApp, watchErrors } from './harness';

/**
 * Links are input from strangers. Script tags, HTML, huge numbers and NaN in any parameter must
 * end as plain-text notices: nothing executed, nothing injected, no console errors. Runs without
 * WebGPU (nothing here needs a GPU, and hostile input must never reach one).
 */
const XSS = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

describe('hostile URLs', () => {
  const app = servedApp({ webgpu: false });

  async function open(path: string): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
    const page = await app.browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = watchErrors(page);
    const dialogs: string[] = [];
    page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
    await page.goto(`${app.url}${path}`);
    return { page, errors, dialogs };
  }

  async function clean(page: Page, errors: string[], dialogs: string[]) {
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('body script:not([type="module"])').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  }

  it('lab parameters: script tags, HTML as a key, huge numbers and NaN become notices', async () => {
    // A lab that opens without WebGPU, so every control and its notice is on screen.
    const lab = LABS.find((l) => l.gpu !== 'required');
    expect(lab, 'a lab that runs without WebGPU').toBeTruthy();
    const nums = lab!.schema.filter((s) => s.kind === 'int' || s.kind === 'number');
    const flag = lab!.schema.find((s) => s.kind === 'bool');
    expect(nums.length).toBeGreaterThanOrEqual(3);
    const raw: Record<string, string> = {
      lab: lab!.id,
      [nums[0].key]: XSS,
      [nums[1].key]: '1e400',
      [nums[2].key]: 'NaN',
      [IMG]: '1',
    };
    if (flag) raw[flag.key] = 'maybe';
    const { page, errors, dialogs } = await open(`/?${q(raw)}`);
    await expect
      .poll(() => page.locator('.param-notice').count(), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(flag ? 4 : 3);
    const text = await page.locator('.lab').innerText();
    expect(text).toContain(`${nums[0].label}: "<script>window.__pwned=1</script…" is not a number`);
    expect(text).toContain(`${nums[1].label}: "1e400" is not a number`);
    expect(text).toContain(`${nums[2].label}: "NaN" is not a number`);
    if (flag) expect(text).toContain(`${flag.label}: "maybe" is not true or false`);
    expect(text).toContain('Ignored unknown parameter "<img src=x onerror=\\"window.__pwn…"');
    // The hostile text is shown, never used: the control holds the default.
    expect(await page.locator(`[data-param="${nums[0].key}"] .num-input`).inputValue()).toBe(String(nums[0].default));
    await screenshot(page, 'hostile-lab');
    await clean(page, errors, dialogs);
    await page.close();
  });

  it('scenario, step and lab names that do not exist, in the app and in the embed', async () => {
    for (const path of [
      `/?${q({ scenario: XSS })}`,
      `/?${q({ lab: 'javascript:window.__pwned=1' })}`,
      `/?${q({ scenario: 'memory-wall-fusion', step: '99999999999999999999999' })}`,
      `/?${q({ scenario: 'memory-wall-fusion', step: IMG, size: '1e12' })}`,
      `/embed.html?${q({ scenario: IMG })}`,
      `/embed.html?${q({ scenario: 'memory-wall-fusion', step: '-1', hidden: XSS, parentOrigin: 'javascript:alert(1)' })}`,
    ]) {
      const { page, errors, dialogs } = await open(path);
      await expect.poll(() => page.locator('.notice, .param-notice').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      const notices = (await page.locator('.notice, .param-notice').allInnerTexts()).join('\n');
      expect(notices, path).toMatch(
        /no scenario called|no lab called|does not exist in this scenario|is not a number|is outside|Ignored unknown/,
      );
      await clean(page, errors, dialogs);
      await page.close();
    }
  });

  it('a huge but numeric value falls back to the default (never the maximum), explained, and the scenario keeps its step', async () => {
    const { page, errors, dialogs } = await open(`/?${q({ scenario: 'memory-wall-fusion', step: '2', size: '1e12' })}`);
    await expect
      .poll(() => page.getByText('is outside 65536–67108864 floats; using 16777216 (the default)').count(), {
        timeout: 30_000,
      })
      .toBe(1);
    expect(await page.locator('.scenario-panel').getAttribute('data-step')).toBe('2');
    await clean(page, errors, dialogs);
    await page.close();
  });

  // Issue 24, item 5: limits checked before any work, each refused with a named message.
  it('a compression bomb, an over-long value and 150 keys are refused by name', async () => {
    const bomb = Buffer.from(deflateSync(new Uint8Array(12 * 2 ** 20).fill(32))).toString('base64url');
    const b = await open(`/?board#board=${bomb}`);
    await expect.poll(() => b.page.getByTestId('shared-error').count(), { timeout: 30_000 }).toBe(1);
    expect(await b.page.getByTestId('shared-error').innerText()).toMatch(
      /unpacks to more than 8 MiB.*your own board is unchanged/,
    );
    await clean(b.page, b.errors, b.dialogs);
    await b.page.close();

    const keys = Array.from({ length: 150 }, (_, i) => `k${i}=${i}`).join('&');
    const p = await open(`/?lab=kv-cache&blockSize=${'9'.repeat(5_000)}&${keys}`);
    await expect.poll(() => p.page.getByTestId('route-notices').count(), { timeout: 30_000 }).toBe(1);
    const text = await p.page.getByTestId('route-notices').innerText();
    expect(text).toContain('This link has more than 100 parameters; only the first 100 were read.');
    expect(text).toContain('Ignored parameter "blockSize": longer than 256 characters, more than any setting needs.');
    await clean(p.page, p.errors, p.dialogs);
    await p.page.close();
  });
});
