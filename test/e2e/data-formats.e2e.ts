import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/data/dataset';
import { writeParquet } from '../../src/data/parquet';
import { screenshot, servedApp, watchErrors } from './harness';

// A small table keeps writing six files and reading each three ways to a few seconds on a shared CPU.
const SMALL = 'rows=8192&features=16&rowGroupRows=1024&columnsRead=4&selectivity=0.25&ranks=3';

describe('data-formats lab in headless Chromium', () => {
  const app = servedApp();

  it('writes and measures CSV, Parquet and Arrow in a worker; a dropped Parquet file shows its schema and measurements; a broken one a named error', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/?lab=data-formats&${SMALL}`);
    await expect.poll(() => page.getByTestId('kpis').count(), { timeout: 90_000, interval: 250 }).toBe(1);
    const ratio = await page.getByTestId('pq-vs-csv').innerText();
    console.log(`Parquet projection vs CSV (browser): ${ratio}`);
    expect(await page.getByTestId('kpis').innerText()).toMatch(/6 of 8 row groups skipped/);
    const table = page.locator('table.results').first();
    expect(await table.locator('tbody tr').count()).toBe(15);
    expect(await table.innerText()).not.toMatch(/differs/);
    // 8 row groups over 3 ranks: uneven, and the page says what that costs.
    expect(await page.getByTestId('shard-note').innerText()).toMatch(/3 does not divide 8 row groups/);
    expect(await page.locator('svg.df-rate rect').count()).toBe(15);
    await screenshot(page, 'data-formats');

    // Bring your own file: a Parquet file (gzip, 3 row groups) chosen through the file input.
    const ds = makeDataset({ rows: 3000, features: 5, seed: 8 });
    const pq = writeParquet(ds, { codec: 'GZIP', rowGroupRows: 1000, encoding: 'dictionary' });
    await page
      .getByTestId('file-input')
      .setInputFiles({ name: 'mine.parquet', mimeType: 'application/octet-stream', buffer: Buffer.from(pq) });
    const report = page.getByTestId('file-report');
    await expect.poll(() => report.count(), { timeout: 60_000, interval: 250 }).toBe(1);
    const text = await report.innerText();
    expect(text).toMatch(/mine\.parquet: Parquet, .* 3,000 rows, 8 columns, 3 row groups, compression gzip/);
    for (const col of ['id', 'day', 'source', 'f4']) expect(text).toContain(col);
    expect(text).toMatch(/RLE_DICTIONARY/);
    expect(await report.locator('svg.df-rate rect').count()).toBe(3);
    expect(text).not.toMatch(/differs/);
    await report.scrollIntoViewIfNeeded();
    await screenshot(page, 'data-formats-file');

    // A truncated file: the message names the problem, the page stays up.
    await page
      .getByTestId('file-input')
      .setInputFiles({
        name: 'cut.parquet',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(pq.subarray(0, pq.length - 40)),
      });
    await expect.poll(() => page.getByTestId('file-error').count(), { timeout: 30_000, interval: 250 }).toBe(1);
    expect(await page.getByTestId('file-error').innerText()).toMatch(
      /Parquet footer missing: the file starts with "PAR1" but does not end with it/,
    );
    expect(await page.getByTestId('kpis').count()).toBe(1);

    // The same file dropped (a DataTransfer drop event) rather than chosen.
    await page.evaluate((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'dropped.parquet'));
      const zone = document.querySelector('[data-testid="file-drop"]')!;
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, Array.from(pq));
    await expect
      .poll(
        async () =>
          (await page.getByTestId('file-report').count()) &&
          (await page.getByTestId('file-report').innerText()).includes('dropped.parquet'),
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);

    // A file DuckDB wrote: NULLs (k: 60 of 240), uint32, strings, dates, a LIST and a STRUCT column; NULLs filled with 0 by choice.
    const duck = readFileSync('test/fixtures/interop/duckdb-zstd.parquet');
    const reportOf = async (name: string) => {
      await expect
        .poll(
          async () =>
            (await page.getByTestId('file-report').count()) &&
            (await page.getByTestId('file-report').innerText()).includes(name),
          { timeout: 60_000, interval: 250 },
        )
        .toBe(true);
      return page.getByTestId('file-report').innerText();
    };
    await page.getByTestId('null-fill').selectOption('zero');
    await page
      .getByTestId('file-input')
      .setInputFiles({ name: 'duckdb.parquet', mimeType: 'application/octet-stream', buffer: duck });
    const own = await reportOf('duckdb.parquet');
    expect(own).toMatch(/duckdb\.parquet: Parquet, .* 240 rows, 16 columns, 1 row groups, compression zstd/);
    expect(own).toMatch(/Nested columns "lst" \(list<int64>\), "st" \(struct<a, b>\) skipped by name/);
    expect(own).toMatch(/k\s+int32\s+60 \(25%\)/);
    expect(own).toMatch(/u32\s+uint32/);
    expect(own).toMatch(/yes, NULL → 0/);
    expect(own).toMatch(/dt\s+date/);
    expect(own).not.toMatch(/differs/);
    await page.getByTestId('file-report').scrollIntoViewIfNeeded();
    await screenshot(page, 'data-formats-own-file');
    await page.getByTestId('file-report').screenshot({ path: 'test-results/data-formats-own-file-report.png' });

    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${app.url}/?lab=data-formats&${SMALL}`);
    await expect.poll(() => page.getByTestId('kpis').count(), { timeout: 90_000, interval: 250 }).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    // The charts re-lay out to the phone's width (names above the bars) instead of shrinking their text.
    const rate = page.locator('svg.df-rate').first();
    const box = (await rate.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(390);
    expect(Number(await rate.getAttribute('width'))).toBeCloseTo(box.width, 0);
    await rate.screenshot({ path: 'test-results/data-formats-390-rates.png' });
    await screenshot(page, 'data-formats-390');
    await page
      .getByTestId('file-input')
      .setInputFiles({ name: 'duckdb.parquet', mimeType: 'application/octet-stream', buffer: duck });
    expect(await reportOf('duckdb.parquet')).toMatch(/NULLs/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
    await page.getByTestId('file-report').scrollIntoViewIfNeeded();
    await screenshot(page, 'data-formats-own-file-390');
    await page.getByTestId('file-report').screenshot({ path: 'test-results/data-formats-own-file-report-390.png' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
