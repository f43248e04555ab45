import { describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, servedApp, watchErrors } from './harness';

describe('platform in headless Chromium', () => {
  const app = servedApp();

  it('opens the app, measures the device bandwidth and shows it', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(app.url);
    const bw = page.getByTestId('measured-bandwidth');
    await expect.poll(async () => bw.textContent(), { timeout: 90_000, interval: 500 }).toMatch(/\d.*B\/s/);
    expect(await page.getByTestId('adapter-name').textContent()).toMatch(/swiftshader|google/i);
    await screenshot(page, 'home');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses out-of-range URL parameters (the default is used) with a visible message and runs the device lab', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(
      `${app.url}/?lab=device&copyMiB=0&samples=abc&fmaIterations=-5&fmaThreads=1e9&bogus=%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
    );
    await expect.poll(() => page.locator('.param-notice').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    const text = await page.locator('.lab').innerText();
    expect(text).toContain('Copy buffer: 0 is outside 1–1024 MiB; using 64 (the default)');
    expect(text).toContain('"abc" is not a number');
    expect(text).toContain('Ignored unknown parameter "bogus"');
    expect(await page.locator('script:text("alert(1)")').count()).toBe(0);
    // The clamped value (not the hostile one) is what the URL now carries once the user edits.
    await expect
      .poll(() => page.locator('table.results tbody tr').count(), { timeout: 120_000, interval: 500 })
      .toBe(2);
    await screenshot(page, 'device-lab');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a clear page when WebGPU is missing, and the app still works', async () => {
    const noGpu = await launchBrowser({ webgpu: false });
    try {
      const page = await noGpu.newPage();
      const errors = watchErrors(page);
      await page.goto(`${app.url}/?lab=device`);
      await expect.poll(() => page.locator('.no-webgpu').count(), { timeout: 30_000 }).toBe(1);
      expect(await page.locator('.no-webgpu').innerText()).toMatch(/enable/i);
      await screenshot(page, 'no-webgpu');
      expect(errors).toEqual([]);
    } finally {
      await noGpu.close();
    }
  });
});

describe('device loss in the browser', () => {
  const app = servedApp();

  it('re-acquires a device, tells the user, and measures again', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=device&copyMiB=4&fmaThreads=16&fmaIterations=16`);
    await expect
      .poll(() => page.locator('table.results tbody tr').count(), { timeout: 120_000, interval: 500 })
      .toBe(2);
    // SwiftShader reports subgroups 4 wide and no shader-f16; the lab says both.
    expect(await page.getByTestId('device-features').innerText()).toBe(
      'Features: timestamp queries, no shader-f16 (f16 variants are not offered), subgroups (4 wide).',
    );
    await page.getByRole('button', { name: 'Simulate device loss' }).click();
    await expect
      .poll(() => page.locator('.toast').allInnerTexts(), { timeout: 60_000, interval: 250 })
      .toContainEqual(expect.stringMatching(/New GPU device ready/));
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.locator('table.results.stale').count(), { timeout: 5_000 }).toBe(0);
    await expect
      .poll(() => page.locator('table.results tbody tr').count(), { timeout: 120_000, interval: 500 })
      .toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});

// Issue 24, item 6: a link must not start a heavy GPU setup by itself.
describe('heavy setups wait for a click', () => {
  const app = servedApp();

  it('a link far above the defaults shows why and does not run until Run is pressed', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=device&copyMiB=1024&fmaIterations=8192`);
    const notice = page.getByTestId('heavy-notice');
    await expect.poll(() => notice.count(), { timeout: 60_000 }).toBe(1);
    expect(await notice.innerText()).toBe(
      'Heavy setup: about 512× the default’s work (FMA chain length = 8192 (32×), Copy buffer = 1024 (16×)), so it does not start by itself. Press Run to start it.',
    );
    // Once the device is ready a light setup would have started (250 ms debounce); this one has not.
    await expect.poll(() => page.locator('.device-badge .badge-adapter').count(), { timeout: 60_000 }).toBe(1);
    await page.waitForTimeout(1500);
    expect(await page.locator('.run-bar .progress').count()).toBe(0);
    expect(await page.locator('table.results tbody tr').count()).toBe(0);
    // Lighter values (a control edit) run by themselves again, and the notice goes.
    await page.goto(`${app.url}/?lab=device&copyMiB=4&fmaThreads=16&fmaIterations=16`);
    await expect
      .poll(() => page.locator('table.results tbody tr').count(), { timeout: 120_000, interval: 500 })
      .toBe(2);
    expect(await notice.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('URL state', () => {
  const app = servedApp();

  it('mirrors edits in the URL, and Back/Forward restore them', async () => {
    const page = await app.browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=device&copyMiB=2&fmaThreads=16&fmaIterations=16`);
    const samples = page.locator('[data-param="samples"] .num-input');
    await samples.fill('9');
    await samples.press('Enter');
    await expect.poll(() => page.url()).toContain('samples=9');
    await page.waitForTimeout(1100);
    await samples.fill('11');
    await samples.press('Enter');
    await expect.poll(() => page.url()).toContain('samples=11');
    await page.goBack();
    await expect.poll(() => samples.inputValue()).toBe('9');
    await page.goForward();
    await expect.poll(() => samples.inputValue()).toBe('11');
    expect(errors).toEqual([]);
    await page.close();
  });
});
