import { describe, expect, it } from 'vitest';
import { encodeConfig } from '../../src/catalog';
import { screenshot, servedApp, watchErrors } from './harness';

// A small layer so SwiftShader (a CPU) checks and times the five formats in seconds; the lab
// clamps software adapters to 1024×1024 anyway.
const SMALL = 'N=256&K=512&M=1';

describe('decode lab in headless Chromium', () => {
  const app = servedApp();

  it('runs by itself when the device clamps the layer on open (no click)', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    // N = 2048 is above the software adapter's 1024 limit: the lab clamps N as it opens, and that
    // change of parameters used to cancel the pending auto-run for good.
    await page.goto(`${app.url}/?lab=decode&N=2048&K=256&M=1`);
    await expect
      .poll(() => page.locator('table.results tbody tr').count(), { timeout: 150_000, interval: 1000 })
      .toBe(5);
    expect(await page.locator('.lab-controls').innerText()).toMatch(/limited to 1024×1024/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs the five weight formats, checks them, shows the table, the speculative panel and the sweep', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=decode&${SMALL}`);
    const table = page.locator('table.results');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 240_000, interval: 1000 }).toBe(5);
    const text = await table.innerText();
    for (const label of ['f32', 'f16', 'int8', 'int4', 'int4 + zp']) expect(text).toContain(label);
    // Bits per weight from the cost model: int4 g128 is 4.125, with zero points 4.188.
    expect(text).toMatch(/4\.125/);
    expect(text).toMatch(/4\.188/);
    const summary = await page.locator('.decode-summary').innerText();
    expect(summary).toMatch(/int4 vs f32 at M = 1/);
    expect(summary).toMatch(/Verification cost ratio v = T\(M = 5\) \/ T\(M = 1\)/);
    expect(await page.locator('.decode-awq').innerText()).toMatch(/round-to-nearest\) →/);
    expect(await page.locator('.decode-spec-table').innerText()).toMatch(/closed form 3\.362; Monte Carlo/);
    expect(await page.locator('svg.decode-bars rect').count()).toBe(5);
    expect(await page.locator('svg.decode-spec circle').count()).toBe(7);
    await screenshot(page, 'decode');

    // On demand: the same int4 weights through onnxruntime-web's MatMulNBits, checked and timed.
    await page.getByTestId('decode-peer-run').click();
    const ratio = page.getByTestId('decode-peer-ratio');
    await expect.poll(() => ratio.count(), { timeout: 180_000, interval: 1000 }).toBe(1);
    expect(await ratio.innerText()).toMatch(/Ours is .* the speed of onnxruntime-web here/);
    const peerTable = await page.getByTestId('decode-peer').locator('table.results').innerText();
    expect(peerTable).toMatch(/MatMulNBits/);
    await page.getByTestId('decode-peer').scrollIntoViewIfNeeded();
    await screenshot(page, 'decode-peer');

    // The sweep job: f32, int8 and int4 at nine row counts.
    await page.getByRole('button', { name: /Sweep M = 1, 2/ }).click();
    await expect
      .poll(() => page.locator('svg.decode-sweep circle').count(), { timeout: 300_000, interval: 1000 })
      .toBe(27);
    expect(await page.locator('.decode-summary').innerText()).toMatch(/int4 over f32: .* at M = 1/);
    await screenshot(page, 'decode-sweep');

    await page.setViewportSize({ width: 390, height: 900 });
    await screenshot(page, 'decode-390');
    // The full 390 px page is too tall to read; the first screen shows whether the picture comes first.
    await page.screenshot({ path: 'test-results/decode-390-picture.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a model’s own layer shapes: bytes per token and the GPU bound from the catalog, the kernels run at each shape here', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    // A pasted two-layer config: six matrices, its 4,096-token output head scaled to this adapter.
    const config = encodeConfig({
      model_type: 'llama',
      hidden_size: 256,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      intermediate_size: 512,
      vocab_size: 4096,
      tie_word_embeddings: false,
    });
    await page.goto(`${app.url}/?lab=decode&${SMALL}&costModel=own&config=${config}&costGpu=h200`);
    const summary = page.getByTestId('decode-shapes-summary');
    await expect.poll(() => summary.count(), { timeout: 60_000 }).toBe(1);
    // f16 bytes per token: 2 × (2 layers × (256² · 2 + 128·256 · 2 + 3 · 512·256) + 4096·256) = 4,456,448 B,
    // so 4,800 GB/s streams 1,077,091 of them a second.
    expect(await summary.innerText()).toMatch(/H200 SXM 141 GB: tokens\/s bound \(4,800 GB\/s, datasheet\)/);
    expect(await summary.innerText()).toMatch(/f16 \/ bf16\s+4\.46 MB\s+1,077,091\s+—/);
    const run = page.getByTestId('decode-shapes-run');
    await expect.poll(() => run.isEnabled(), { timeout: 240_000, interval: 1000 }).toBe(true);
    await run.click();
    const table = page.getByTestId('decode-shapes-table');
    await expect
      .poll(() => table.innerText(), { timeout: 240_000, interval: 1000 })
      .toMatch(/run at M = 1 on .*software rasterizer.*largest error/);
    const text = await table.innerText();
    expect(text).toMatch(/lm_head\s+4,096 × 256\s+1\s+1,024 × 256: N ÷ 4, K kept/);
    // Every matrix measured at every format: no empty cell left.
    expect(text).not.toContain('—');
    expect(await summary.innerText()).not.toMatch(/\t—/);
    await page.getByTestId('decode-shapes').scrollIntoViewIfNeeded();
    await screenshot(page, 'decode-shapes');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('explains a K the formats cannot share, without blanking the page', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=decode&N=64&K=300`);
    await expect.poll(() => page.locator('[role="alert"]').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.locator('[role="alert"]').first().innerText()).toMatch(
      /K = 300: the lab needs a multiple of 256/,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
