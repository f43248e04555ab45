import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, servedApp, watchErrors } from './harness';

async function wasteFigures(page: Page): Promise<{ paged: number; contiguous: number }> {
  const read = async (id: string) => Number((await page.getByTestId(id).textContent())?.replace(/[^\d.]/g, ''));
  return { paged: await read('waste-paged'), contiguous: await read('waste-contiguous') };
}

async function waitForFigures(page: Page): Promise<void> {
  await expect
    .poll(
      async () => (await page.getByTestId('waste-paged').count()) && page.getByTestId('waste-paged').textContent(),
      { timeout: 60_000, interval: 250 },
    )
    .toMatch(/\d.*%/);
  await expect.poll(() => page.getByTestId('waste-contiguous').textContent(), { timeout: 10_000 }).toMatch(/\d.*%/);
}

describe('KV cache lab in headless Chromium', () => {
  const app = servedApp();

  it('runs from its URL alone, shows both waste figures, the maps, block tables and the kernels', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=kv-cache`);
    await waitForFigures(page);
    const w = await wasteFigures(page);
    expect(w.paged).toBeLessThan(4);
    expect(w.contiguous).toBeGreaterThan(50);
    // Reduced motion: the animation starts paused; stepping moves it.
    expect(await page.getByRole('button', { name: 'Play' }).count()).toBe(1);
    const before = await page.getByTestId('kv-step').textContent();
    for (let i = 0; i < 40; i++) await page.getByRole('button', { name: 'Step forward' }).click();
    expect(await page.getByTestId('kv-step').textContent()).not.toBe(before);
    // Hover a paged block: its request's logical -> physical table appears. The block is centred
    // first so no sticky header covers it, then the real mouse moves onto it.
    const hoverBlock = async () => {
      const blocks = page.locator('[data-testid="kv-map-kv-paged"] rect[data-owner]');
      const block = blocks.nth(Math.floor((await blocks.count()) / 2));
      await block.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      const box = (await block.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    };
    await hoverBlock();
    await expect
      .poll(() => page.locator('.kv-table-panel').innerText(), { timeout: 5_000 })
      .toMatch(/Request \d+[\s\S]*\d+→\d+/);
    // The real kernels ran on a batch from the simulation and matched the CPU.
    await expect.poll(() => page.getByTestId('kv-kernel-ratio').count(), { timeout: 120_000, interval: 500 }).toBe(1);
    expect(await page.getByTestId('kv-kernel-ratio').innerText()).toMatch(/\d\.\d+×/);
    // Pin a request's table (a click) so the full-page screenshot shows it.
    await hoverBlock();
    await page.mouse.down();
    await page.mouse.up();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    await expect.poll(() => page.locator('.kv-table-panel').innerText(), { timeout: 5_000 }).toMatch(/Request \d+/);
    await screenshot(page, 'kv-cache');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('rejects a bad trace file with the line and field, keeps everything, then runs a good one', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=kv-cache&requests=60&blockSize=32`);
    await waitForFigures(page);
    const input = page.locator('input[type=file]');
    await input.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('arrival,prompt,output\n0,100,20\n0.5,abc,20\n'),
    });
    await expect.poll(() => page.getByTestId('kv-trace-error').count(), { timeout: 5_000 }).toBe(1);
    expect(await page.getByTestId('kv-trace-error').innerText()).toContain('line 3: field "prompt" is "abc"');
    expect(page.url()).toContain('blockSize=32');
    expect(await page.getByTestId('waste-paged').textContent()).toMatch(/\d.*%/);
    const good = [
      'arrival,prompt,output,max_tokens',
      ...Array.from({ length: 30 }, (_, i) => `${(i * 0.1).toFixed(1)},${50 + i * 7},${20 + ((i * 37) % 200)},1000`),
    ].join('\n');
    await input.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await expect
      .poll(() => page.getByTestId('kv-trace-loaded').innerText(), { timeout: 5_000 })
      .toContain('30 requests');
    await expect.poll(() => page.url(), { timeout: 5_000 }).toContain('workload=trace');
    await expect
      .poll(() => page.locator('.lab-results').innerText(), { timeout: 60_000, interval: 250 })
      .toContain('Simulation: 30 requests');
    expect(page.url()).toContain('blockSize=32');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('simulates without WebGPU (the GPU part is optional)', async () => {
    const noGpu = await launchBrowser({ webgpu: false });
    try {
      const page = await noGpu.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      await page.goto(`${app.url}/?lab=kv-cache&requests=50`);
      await waitForFigures(page);
      expect(await page.getByTestId('kv-kernel-note').innerText()).toMatch(/WebGPU/);
      expect(errors).toEqual([]);
    } finally {
      await noGpu.close();
    }
  });
});
