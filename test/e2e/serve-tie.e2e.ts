import { describe, expect, it } from 'vitest';
import { screenshot, servedApp, watchErrors } from './harness';

// Small Serve-lab runs (the float64 path without WebGPU) so both halves finish quickly on CI.
const SERVE = 'lab=serve&prompts=4&evalCount=32&maxGamma=2';

describe('Serve lab ↔ Train lab storage and the serving lab’s cost model, in headless Chromium', () => {
  const app = servedApp({ webgpu: false });

  it('serves a run the Train lab saved (OPFS) by its run name, falls back with a message when a run is not there, refuses a corrupt one by name', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    // Train briefly on the float64 CPU reference: the Train lab's own storage path saves the run.
    await page.goto(`${app.url}/?lab=train&backend=cpu&steps=20&evalEvery=20&checkpointEvery=20`);
    const status = () => page.getByTestId('train-status').textContent();
    await expect.poll(status, { timeout: 60_000 }).toMatch(/Ready/);
    expect(await page.getByTestId('train-where').textContent()).toMatch(/checkpoints: the origin private file system/);
    await page.getByTestId('train-start').click();
    await expect.poll(status, { timeout: 120_000, interval: 250 }).toMatch(/Done: 20 steps/);
    expect(await page.getByTestId('train-ckpt').textContent()).toMatch(/step 20/);
    const run = (await page.getByTestId('train-run').textContent()) ?? '';
    expect(run).toMatch(/^L2-D32-H1-T16-B16-d2-s1-[0-9a-f]{8}$/);
    // Draft: that run; target: a well-formed name no run has here.
    await page.goto(`${app.url}/?${SERVE}&draft=${run}&target=${run}-gone`);
    await expect
      .poll(() => page.getByTestId('serve-models').textContent(), { timeout: 120_000, interval: 500 })
      .toContain(`Checkpoints served: target = shipped target checkpoint, draft = your saved model "${run}".`);
    expect(await page.locator('.serve-fallback').first().textContent()).toContain(
      `No saved model "${run}-gone" in this browser (the Train lab has not checkpointed that run here, or it was reset). The target is the shipped checkpoint instead.`,
    );
    // The picker lists the run by name with its size, task, step and held-out accuracy; picking "shipped" puts it in the URL.
    const draft = page.getByRole('combobox', { name: 'Draft model' });
    const options = await draft.locator('option').allTextContents();
    expect(options.filter((o) => o.includes(run))).toEqual([
      expect.stringMatching(new RegExp(`^2 layers × d 32, 2-digit sums, step 20, \\d+\\.\\d % held-out · run ${run}$`)),
    ]);
    expect(await page.getByRole('combobox', { name: 'Target model' }).locator('option').allTextContents()).toContain(
      `${run}-gone (not saved in this browser)`,
    );
    await screenshot(page, 'serve-saved-model');
    await draft.selectOption('shipped');
    await expect.poll(() => page.url()).not.toMatch(/draft=L2/);
    // Corrupt every checkpoint of the run in OPFS: named as draft again, it is refused by name.
    await page.evaluate(async (name) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('gpu-playground-train');
      for (const slot of ['latest', 'previous']) {
        const fh = await dir.getFileHandle(`${name}.${slot}.gptckpt`).catch(() => null);
        if (!fh) continue;
        const bytes = new Uint8Array(await (await fh.getFile()).arrayBuffer());
        bytes[100] ^= 0xff;
        const w = await fh.createWritable();
        await w.write(bytes);
        await w.close();
      }
    }, run);
    await page.goto(`${app.url}/?${SERVE}&draft=${run}`);
    await expect
      .poll(() => page.locator('.error-text').textContent(), { timeout: 60_000, interval: 250 })
      .toContain(
        `The saved model "${run}" is corrupt. No usable checkpoint of run "${run}": The latest checkpoint is unusable (checksum)`,
      );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('“Use the model I served”: the Serve lab’s measured step costs become the serving lab’s cost model, survive a reload, and can be removed and forgotten', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?${SERVE}`);
    await expect
      .poll(() => page.getByTestId('serve-gen-summary').textContent(), { timeout: 120_000, interval: 500 })
      .toMatch(/sums right/);
    // A new page load: the measurement comes back from storage, not from memory.
    await page.goto(`${app.url}/?lab=serving&requests=200`);
    const use = page.getByRole('button', { name: 'Use the model I served' });
    await use.waitFor({ timeout: 60_000 });
    await use.click();
    const provenance = page.getByTestId('srv-provenance');
    await expect
      .poll(() => provenance.innerText(), { timeout: 90_000, interval: 250 })
      .toMatch(
        /simulated with step times of 2-layer × d 32 GPT \(shipped target checkpoint, step 1500\): prefill [\d.]+ ms per token, a decode step [\d.]+ ms at batch 1, .* at batch 8 .*measured on this page’s CPU \(float64 CPU forward\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, Serve lab/,
      );
    expect(await page.getByTestId('srv-measured-source').innerText()).toMatch(/Serve lab$/);
    await expect.poll(() => page.url()).toMatch(/measured=[A-Za-z0-9_-]{100,}/);
    // The sweep runs with it: its table names the measured profile.
    await expect
      .poll(() => page.locator('.lab-results table').first().locator('caption').innerText(), { timeout: 90_000 })
      .toMatch(/step times measured on this page’s CPU/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'serving-measured');
    // A reload keeps it (it is in the link).
    await page.reload();
    await expect
      .poll(() => provenance.innerText(), { timeout: 90_000, interval: 250 })
      .toMatch(/measured on this page’s CPU/);
    // Remove: back to the catalog model's roofline.
    await page.getByRole('button', { name: /^Remove/ }).click();
    await expect
      .poll(() => provenance.innerText(), { timeout: 90_000, interval: 250 })
      .toMatch(/simulated: roofline step cost of .* datasheet/);
    // Forget: the stored measurement is gone, after a reload too.
    await page.getByRole('button', { name: 'Forget this measurement' }).click();
    await page.getByTestId('srv-measured-hint').waitFor({ timeout: 10_000 });
    await page.reload();
    await page.getByTestId('srv-measured-hint').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Use the model I served' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the KV-cache block map pins to the evidence board and meets the session’s kv-fill observation', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=serve&prompts=16&maxBatch=8&numBlocks=6&evalCount=32&maxGamma=2`);
    await expect
      .poll(() => page.getByTestId('serve-gen-summary').textContent(), { timeout: 120_000, interval: 500 })
      .toMatch(/of 16 sums right/);
    await page.getByRole('button', { name: /^Pin KV cache blocks at step \d+ of \d+/ }).click();
    await expect.poll(() => page.getByTestId('nav-board').innerText()).toMatch(/Evidence board \(1\)/);
    await page.goto(`${app.url}/?interview=serve-your-trained-model`);
    await expect.poll(() => page.getByTestId('rubric-score').innerText(), { timeout: 30_000 }).toBe('(1 of 5 pinned)');
    const met = page.locator('[data-testid="rubric-line"][data-met="yes"]');
    expect(await met.innerText()).toMatch(/The paged KV cache fills block by block/);
    expect(await met.innerText()).toMatch(/Shown by: KV cache blocks at step \d+ of \d+/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
