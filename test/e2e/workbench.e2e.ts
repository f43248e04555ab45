import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeCode } from '../../src/labs/workbench/persist';
import { screenshot, servedApp, watchErrors } from './harness';

describe('kernel workbench in headless Chromium', () => {
  const app = servedApp();

  it('fails a broken kernel with a precise mismatch, then passes once the fix is typed into the editor', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    // A share link carrying the fused solution plus one deliberate bug on its last line.
    const solution = readFileSync('src/labs/workbench/exercises/bias-gelu/solution.wgsl', 'utf8');
    const broken = solution.replace(/\n}\s*$/, '\n  y[i] = y[i] * 2.0; // BUG: doubles every output\n}\n');
    expect(broken).not.toBe(solution);
    await page.goto(`${app.url}/?lab=workbench&exercise=bias-gelu#wb=${encodeCode('bias-gelu', broken)}`);

    const editor = page.locator('.cm-content').first();
    await editor.waitFor({ timeout: 60_000 });
    // CodeMirror draws only the lines near the screen; bring the editor into view, as a user would.
    await editor.scrollIntoViewIfNeeded();
    // CodeMirror draws the lines in view after measuring; poll rather than read once.
    await expect.poll(() => editor.innerText(), { timeout: 10_000 }).toContain('BUG: doubles every output');

    await page.getByRole('button', { name: 'Run & check' }).click();
    const message = page.locator('.wb-message');
    await expect.poll(() => message.textContent(), { timeout: 120_000, interval: 500 }).toMatch(/cases fail/);
    expect(await message.textContent()).toMatch(/worst at index \d+ \(\d+, \d+\): expected -?\d[\d.e-]*, got -?\d/);

    await screenshot(page, 'workbench-fail');

    // Type the fix: replace the buggy last line of main with a comment.
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('// fixed: GELU output is final');
    expect(await editor.innerText()).not.toContain('BUG');
    await page.keyboard.press('Control+Enter');

    await expect
      .poll(() => message.textContent(), { timeout: 120_000, interval: 500 })
      .toMatch(/All cases pass, with global-memory traffic at the target/);
    expect(await page.locator('.wb-chip').textContent()).toBe('Pass');
    expect(await page.locator('table.results tbody tr').count()).toBe(4);
    await expect.poll(() => page.locator('svg.wb-traffic rect').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    await page.getByRole('button', { name: 'Show solution' }).click();
    await page.locator('.wb-solution .cm-content').waitFor({ timeout: 10_000 });
    // CodeMirror measures line heights only while an editor is on screen; bring the solution into
    // view once so the full-page picture shows its gutter aligned, as a scrolling user sees it.
    await page.locator('.wb-solution').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await screenshot(page, 'workbench');

    // The fix survives a reload: it is in the link and in localStorage.
    await page.reload();
    await page.locator('.cm-content').first().waitFor({ timeout: 60_000 });
    await page.locator('.cm-content').first().scrollIntoViewIfNeeded();
    await expect
      .poll(() => page.locator('.cm-content').first().innerText(), { timeout: 10_000 })
      .toContain('fixed: GELU output is final');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows compile errors inline at their line', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    const starter = readFileSync('src/labs/workbench/exercises/row-softmax/starter.wgsl', 'utf8');
    await page.goto(
      `${app.url}/?lab=workbench&exercise=row-softmax#wb=${encodeCode('row-softmax', starter.replace('var s = 0.0;', 'var s = 0.0 +;'))}`,
    );
    await page.locator('.cm-content').first().waitFor({ timeout: 60_000 });
    await page.locator('.cm-content').first().click();
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => page.locator('.wb-message').textContent(), { timeout: 60_000, interval: 500 })
      .toMatch(/compile error/);
    await expect.poll(() => page.locator('.cm-lintRange-error').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('.cm-lint-marker-error').count()).toBeGreaterThan(0);
    await screenshot(page, 'workbench-compile-error');
    // Chrome itself logs the shader's compile errors to the console; nothing else may.
    expect(errors.filter((e) => !/WGSL|shader|ShaderModule|compilation/i.test(e))).toEqual([]);
    await page.close();
  });
});
