import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';

async function status(page: Page): Promise<{ step: number; running: boolean; world: number }> {
  const s = page.getByTestId('live-status');
  return {
    step: Number(await s.getAttribute('data-step')),
    running: (await s.getAttribute('data-running')) === 'yes',
    world: Number(await s.getAttribute('data-world')),
  };
}

/** Starts the mini-cluster with the given settings, kills `rank` once step `killAt` is reached, waits for the end. */
async function runWithKill(
  page: Page,
  opts: {
    ranks: number;
    every: number;
    policy: 'elastic' | 'replace';
    killAt: number;
    rank: number;
    how?: 'kill' | 'crash';
  },
) {
  const panel = page.locator('.live-panel');
  await panel.getByLabel('Ranks N').fill(String(opts.ranks));
  await panel.getByLabel('Checkpoint every').fill(String(opts.every));
  await panel.getByLabel('On failure').selectOption(opts.policy);
  await panel.getByLabel('Extra compute per step').selectOption('15');
  await page.getByTestId('live-start').click();
  // Kill a few steps after a checkpoint, so some completed steps are lost (a kill right at a
  // checkpoint loses none, which is correct but shows less).
  await expect
    .poll(
      async () => {
        const s = (await status(page)).step;
        return s >= opts.killAt && s % opts.every >= 2 && s % opts.every <= 8;
      },
      { timeout: 60_000, interval: 20 },
    )
    .toBe(true);
  await page.getByTestId(`${opts.how ?? 'kill'}-rank-${opts.rank}`).click();
  await expect
    .poll(async () => (await page.getByTestId('live-log').innerText()).includes('Noticed by'), {
      timeout: 30_000,
      interval: 100,
    })
    .toBe(true);
  await expect.poll(() => page.getByTestId('live-final').count(), { timeout: 120_000, interval: 250 }).toBe(1);
}

describe('cluster lab: live mini-cluster in headless Chromium', () => {
  const app = servedApp();

  it(
    'kills a rank mid-run; the job resumes from its IndexedDB checkpoint and ends with the uninterrupted run’s final loss',
    { timeout: 300_000 },
    async () => {
      const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      await page.goto(`${app.url}/?lab=cluster`);
      await expect.poll(() => page.getByTestId('live-start').count(), { timeout: 60_000, interval: 200 }).toBe(1);

      // Replacement: same rank count before and after, so the resumed run must be bit-identical.
      await runWithKill(page, { ranks: 3, every: 20, policy: 'replace', killAt: 30, rank: 1 });
      const log = await page.getByTestId('live-log').innerText();
      expect(log).toMatch(/Rank 1 terminated in the middle of step \d+/);
      expect(log).toMatch(/Noticed by watchdog \+ heartbeat after [\d.]+\s(ms|s): rank 1 stopped answering/);
      const resumed = /Last checkpoint: step (\d+); (\d+) completed steps? lost and redone/.exec(log);
      expect(resumed, log).not.toBeNull();
      const [from, lost] = [Number(resumed![1]), Number(resumed![2])];
      expect(from % 20).toBe(0);
      expect(from).toBeGreaterThanOrEqual(20);
      expect(lost).toBeGreaterThan(0);
      expect(Number(await page.getByTestId('lost-steps').innerText())).toBe(lost);
      expect(log).toMatch(new RegExp(`Checkpoint of step ${from} read back`));
      const final = await page.getByTestId('final-loss').innerText();
      expect(final).toBe(await page.getByTestId('reference-loss').innerText());
      expect(await page.getByTestId('loss-diff').innerText()).toBe('none: bit-identical');
      expect(await page.getByTestId('schedule-loss').innerText()).toBe('bit-identical to this run');
      expect(await page.getByTestId('live-final').innerText()).toMatch(
        new RegExp(`240 counted once each; ${240 + lost} computed \\(${lost} redone\\)`),
      );
      // The checkpoint really is in the browser's IndexedDB: weights, Adam state, step and data position.
      const stored = await page.evaluate(
        () =>
          new Promise<{ step: number; dataPosition: number; params: number; m: number; world: number }>(
            (resolve, reject) => {
              const r = indexedDB.open('gpu-playground-cluster');
              r.onerror = () => reject(r.error);
              r.onsuccess = () => {
                const get = r.result.transaction('checkpoints').objectStore('checkpoints').get('mini-cluster');
                get.onsuccess = () =>
                  resolve({
                    step: get.result.step,
                    dataPosition: get.result.dataPosition,
                    params: get.result.params.length,
                    m: get.result.m.length,
                    world: get.result.world,
                  });
                get.onerror = () => reject(get.error);
              };
            },
          ),
      );
      expect(stored).toEqual({ step: 220, dataPosition: 220 * 48, params: 387, m: 387, world: 3 });
      await screenshot(page, 'cluster-live-1280');
      await page.locator('.live-panel').screenshot({ path: 'test-results/cluster-live-panel-1280.png' });

      // Elastic, and a crash this time (an uncaught error: the worker's error event reports it at
      // once): continues on 2 ranks with the same global batches; the loss differs only by rounding.
      await runWithKill(page, { ranks: 3, every: 20, policy: 'elastic', killAt: 25, rank: 2, how: 'crash' });
      expect((await status(page)).world).toBe(2);
      const log2 = await page.getByTestId('live-log').innerText();
      expect(log2).toMatch(/Rank 2 crashed \(an uncaught error in the worker\)/);
      expect(log2).toMatch(
        /Noticed by crash event after [\d.]+\s(ms|s): rank 2 crashed: .*cluster rank 2 crashed \(injected\)/,
      );
      const diff = Number(await page.getByTestId('loss-diff').getAttribute('data-diff'));
      expect(Math.abs(diff)).toBeLessThan(1e-5);
      expect(await page.getByTestId('schedule-loss').innerText()).toBe('bit-identical to this run');
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it('casts a gradient to fp16/bf16 on the GPU bit-exactly; the page reads at 390 px', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 800 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=cluster`);
    await expect.poll(() => page.getByTestId('prec-run').count(), { timeout: 60_000, interval: 200 }).toBe(1);
    // 2^16 values: SwiftShader is a CPU, and the check runs the whole tensor twice.
    await page.locator('.prec-panel').getByLabel('Values').selectOption('16');
    await page.getByTestId('prec-run').click();
    await expect.poll(() => page.getByTestId('prec-result').count(), { timeout: 90_000, interval: 250 }).toBe(1);
    expect(await page.getByTestId('prec-bitexact').innerText()).toMatch(/bit for bit on all 131,072 words/);
    expect(await page.getByTestId('prec-gbps').innerText()).toMatch(/B\/s/);
    // Nothing in the two panels is wider than the panel (charts scale, tables wrap).
    for (const sel of ['.live-panel', '.prec-panel']) {
      const over = await page.locator(sel).evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(over, sel).toBeLessThanOrEqual(0);
    }
    await screenshot(page, 'cluster-live-390');
    await page.locator('.prec-panel').screenshot({ path: 'test-results/cluster-precision-panel-390.png' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
