import { describe, expect, it } from 'vitest';
import { meta } from '../../src/labs/data-formats/meta';
import { runDataFormats } from '../../src/labs/data-formats/run';
import { defaults } from '../../src/labkit/schema';

const ctx = { runtime: null, signal: new AbortController().signal, progress: () => {} };
const base = {
  ...defaults(meta.schema),
  rows: 4096,
  features: 8,
  rowGroupRows: 512,
  columnsRead: 2,
  selectivity: 0.25,
  ranks: 3,
};

describe('data-formats lab run (Node: no Worker, same code)', () => {
  it('measures every format three ways, answers check, and returns plain JSON', async () => {
    const r = await runDataFormats(ctx, base);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.report.measurements.every((m) => m.matches)).toBe(true);
    expect(r.report.measurements.map((m) => m.variant + ':' + m.pattern)).toContain('parquet-snappy:projection');
    // 8 row groups over 3 ranks: 3, 3 and 2 groups; the lock-step epoch is set by rank 2.
    expect(r.shards.byRank.map((g) => g.length)).toEqual([3, 3, 2]);
    expect(r.shards.stepsEven).toBe(Math.floor(1024 / 256));
    expect(r.notes).toEqual([]);
  });

  it('changing only R reuses the measurement; k > F and oversized row groups are explained', async () => {
    const a = await runDataFormats(ctx, base);
    const b = await runDataFormats(ctx, { ...base, ranks: 4 });
    expect(b.report).toBe(a.report);
    expect(b.shards.even).toBe(true);
    const c = await runDataFormats(ctx, { ...base, rows: 1024, columnsRead: 64, rowGroupRows: 4096 });
    expect(c.columnsRead).toBe(8);
    expect(c.notes.join(' ')).toMatch(/Columns read k = 64 is more than the 8 feature columns; reading all 8/);
    expect(c.notes.join(' ')).toMatch(/one group of 1024 rows/);
  });
});
