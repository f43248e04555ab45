import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';

// A short schedule on the float64 CPU reference, which is faster than SwiftShader's GPU here.
const URL_PARAMS = 'lab=train&backend=cpu&steps=160&evalEvery=20&checkpointEvery=20';

async function status(page: Page): Promise<string> {
  return (await page.getByTestId('train-status').textContent()) ?? '';
}

async function stepOf(page: Page): Promise<number> {
  return Number((await status(page)).match(/step (\d+)/)?.[1] ?? NaN);
}

describe('Train lab in headless Chromium', () => {
  const app = servedApp();

  it('trains in a worker, checkpoints, resumes after a reload on the same curve, names a corrupt checkpoint, resets', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?${URL_PARAMS}`);
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Ready/);
    await expect.poll(() => page.getByTestId('train-where').textContent()).toMatch(/Web Worker/);
    // Batches from the dataloader workers (nested in the training worker); checkpoints in OPFS.
    expect(await page.getByTestId('train-where').textContent()).toMatch(
      /batches: Parquet shards streamed by 2 dataloader workers · checkpoints: the origin private file system \(OPFS\)/,
    );
    await expect.poll(() => page.getByTestId('train-params').textContent()).toMatch(/\d/);
    await page.getByTestId('train-start').click();
    // Wait past two checkpoints, then "kill" the tab by reloading it mid-run.
    await expect.poll(() => stepOf(page), { timeout: 120_000, interval: 200 }).toBeGreaterThan(45);
    expect(await page.getByTestId('train-ckpt').textContent()).toMatch(/step (20|40|60)/);
    const heldOut = Number(await page.getByTestId('train-heldout').textContent());
    expect(heldOut).toBeLessThan(Math.log(13));
    await page.reload();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Paused at step (40|60|80)/);
    const resumedAt = await stepOf(page);
    expect(await page.getByTestId('train-message').first().textContent()).toContain(
      `Resumed from the checkpoint at step ${resumedAt}`,
    );
    // The curve resumed with it: the chart has the training-loss points up to there.
    await page.getByTestId('train-start').click();
    await expect.poll(() => status(page), { timeout: 120_000, interval: 250 }).toMatch(/Done: 160 steps/);
    expect(Number(await page.getByTestId('train-heldout').textContent())).toBeLessThan(heldOut);
    await screenshot(page, 'train');

    // Corrupt the latest checkpoint file in OPFS: the reload names it and falls back to the previous one.
    const run = (await page.getByTestId('train-run').textContent()) ?? '';
    expect(run).toMatch(/^L2-D32-H1-T16-B16-d2-s1-[0-9a-f]{8}$/);
    await page.evaluate(async (name) => {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle('gpu-playground-train');
      const fh = await dir.getFileHandle(`${name}.latest.gptckpt`);
      const bytes = new Uint8Array(await (await fh.getFile()).arrayBuffer());
      bytes[100] ^= 0xff;
      const w = await fh.createWritable();
      await w.write(bytes);
      await w.close();
    }, run);
    await page.reload();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Paused at step 140/);
    expect(await page.getByTestId('train-message').first().textContent()).toMatch(
      /latest checkpoint is unusable \(checksum\)/,
    );
    await page.getByTestId('train-reset').click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('Ready');
    expect(await page.getByTestId('train-message').first().textContent()).toMatch(/Reset/);
    expect(errors).toEqual([]);
    await page.close();
  });

  // About 90 s on SwiftShader: the ~30 kernels compile in the worker, then 10 steps of 2 rows.
  it('trains on the GPU step in the worker (its own device on SwiftShader)', { timeout: 300_000 }, async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    // fp16 gradients with loss scaling on: the page shows the scale the run used.
    await page.goto(`${app.url}/?lab=train&backend=gpu&batch=2&steps=10&evalEvery=5&checkpointEvery=5&precision=f16`);
    await expect.poll(() => status(page), { timeout: 180_000 }).toMatch(/Ready/);
    expect(await page.getByTestId('train-where').textContent()).toMatch(
      /Web Worker with its own device.*the GPU step on our WGSL kernels/,
    );
    await page.getByTestId('train-start').click();
    await expect.poll(() => status(page), { timeout: 240_000, interval: 500 }).toMatch(/Done: 10 steps/);
    expect(Number(await page.getByTestId('train-loss').textContent())).toBeGreaterThan(0);
    expect(await page.getByTestId('train-ckpt').textContent()).toMatch(/step 10/);
    // Step 1 was profiled with timestamp queries: the stacked bar shows the split by kind.
    expect(await page.getByTestId('train-split').textContent()).toMatch(
      /matmuls.*attention.*norms.*optimizer.*GPU timestamps/,
    );
    // Ten clean steps, below the growth interval of 200: still 2^16, nothing skipped.
    expect(await page.getByTestId('train-scale').textContent()).toBe('2^16');
    expect(await page.getByTestId('train-skipped').textContent()).toBe('0');
    // The profiled step on the roofline: one named point per kernel group and the whole step.
    const roofline = page.getByTestId('train-roofline');
    await expect.poll(() => roofline.locator('[data-variant="whole step"]').count()).toBe(1);
    expect(await roofline.locator('[data-variant="matmuls"]').count()).toBe(1);
    await screenshot(page, 'train-gpu');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone: title, question, controls and the loss chart at 390 px', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?${URL_PARAMS}`);
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Ready|Paused/);
    await page.getByTestId('train-start').click();
    await expect.poll(() => stepOf(page), { timeout: 120_000, interval: 200 }).toBeGreaterThan(20);
    await page.getByTestId('train-pause').click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/Paused/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, 'train-390');
    expect(errors).toEqual([]);
    await page.close();
  });
});
