import { describe, expect, it } from 'vitest';
import { findModel } from '../../src/catalog';
import { join } from 'node:path';
import { screenshot, servedApp, SHOTS, watchErrors } from './harness';

// Another lab folder being written at the same time may be reported as left out; that is not ours.
const ours = (e: string) => !/Lab left out: src\/labs\/(?!(cluster|serving|planner)\/)/.test(e);

describe('your own model, from a pasted config.json, in headless Chromium', () => {
  const app = servedApp();

  it('cluster: paste Mixtral’s config, see it counted and planned, reload the link, and a bad config named', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=cluster&model=own&gpus=64&failureModel=custom&customRate=0`);
    const box = page.getByTestId('model-config');
    await expect.poll(() => box.count(), { timeout: 30_000, interval: 200 }).toBe(1);
    await box.locator('textarea').fill(JSON.stringify(findModel('mixtral-8x7b')!.config));
    await box.getByTestId('model-config-apply').click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/config=[A-Za-z0-9_-]{40,}/);
    const memory = page.locator('figure', { hasText: 'Memory per GPU' });
    await expect
      .poll(
        () =>
          memory
            .first()
            .innerText()
            .catch(() => ''),
        { timeout: 30_000, interval: 200 },
      )
      .toMatch(/Your model \(mixtral\), 46\.70 B parameters/);
    expect(await box.getByTestId('model-config-summary').innerText()).toMatch(
      /46\.70 B parameters \(12\.88 B active per token\).*MoE 8 experts \(2 per token\)/,
    );
    await box.getByLabel('Parameters you expect, in billions').fill('46.7');
    expect(await box.getByTestId('model-config-diff').innerText()).toMatch(/within 1 %/);
    await screenshot(page, 'catalog-cluster-own-1280');
    await box.screenshot({ path: join(SHOTS, 'catalog-cluster-own-box.png') });
    await memory.first().screenshot({ path: join(SHOTS, 'catalog-cluster-own-memory.png') });

    // The link alone carries the model.
    const link = page.url();
    await page.goto(link);
    await expect
      .poll(
        () =>
          page
            .locator('figure', { hasText: 'Memory per GPU' })
            .first()
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toMatch(/46\.70 B parameters/);

    // A contradictory config is refused with the field named, and the running model stays.
    await page
      .getByTestId('model-config')
      .locator('textarea')
      .fill(JSON.stringify({ ...findModel('mixtral-8x7b')!.config, num_key_value_heads: 5 }));
    await page.getByTestId('model-config-apply').click();
    await expect
      .poll(() => page.getByTestId('model-config-problems').innerText(), { timeout: 10_000 })
      .toMatch(/num_key_value_heads: 32 attention heads do not split into groups of 5/);
    expect(errors.filter(ours)).toEqual([]);
    await page.close();
  });

  it('serving: a 4-GPU tensor-parallel replica names its all-reduce cost', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=serving&model=llama3.1-70b&gpu=h100-sxm`);
    await expect
      .poll(
        () =>
          page
            .getByTestId('srv-provenance')
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toMatch(/tensor parallel over 4 GPUs: 2 all-reduces per layer × 80 layers/);
    await screenshot(page, 'catalog-serving-tp-390');
    await page.getByTestId('srv-provenance').screenshot({ path: join(SHOTS, 'catalog-serving-tp-provenance.png') });
    // FP8 weights: Llama 3.1 405B on one 8 × H100 node, its matmuls at the FP8 peak.
    await page.goto(`${app.url}/?lab=serving&model=llama3.1-405b&gpu=h100-sxm&weights=fp8`);
    await expect
      .poll(
        () =>
          page
            .getByTestId('srv-provenance')
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toMatch(/Llama 3\.1 405B on 8 × H100 SXM 80 GB in FP8 \(W8A8\) weights \(1 B each, 406 GB\).*1979 TFLOP\/s FP8 per GPU/);
    expect(errors.filter(ours)).toEqual([]);
    await page.close();
  });

  it('planner: the plan for Llama 3.1 70B on H100 links each figure to its lab', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=planner`);
    const planEl = page.getByTestId('planner-plan');
    await expect
      .poll(() => planEl.innerText().catch(() => ''), { timeout: 30_000 })
      .toMatch(/\d+ GPUs for Llama 3\.1 70B on H100 SXM 80 GB, \$[\d,]+\/hour/);
    expect(await planEl.locator('a').count()).toBeGreaterThan(3);
    expect(await planEl.innerText()).toMatch(/Time to first token\s+\d+ ms/);
    await screenshot(page, 'catalog-planner-390');
    // On a phone the plan's wrapper is laid out as its children (display: contents), so the shot is of the screen.
    await planEl.locator('.planner-headline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'catalog-planner-plan.png') });
    await planEl.locator('a', { hasText: 'tensor parallel' }).first().click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('srv-provenance')
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toMatch(/Llama 3\.1 70B on 4 × H100/);
    expect(errors.filter(ours)).toEqual([]);
    await page.close();
  });
});
