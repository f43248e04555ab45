import { describe, expect, it } from 'vitest';
import { checkOverheadParams, measureOverhead, OVERHEAD_REGIMES } from '../../src/kernels/overhead';
import { testRuntime } from '../helpers/gpu';

describe('launch overhead regimes on Dawn', () => {
  it('all four regimes add exactly K (checked inside) and report a per-launch cost relative to the fused dispatch', async () => {
    const rt = await testRuntime();
    const r = await measureOverhead(rt, { n: 1000, k: 8, samples: 1 });
    expect(r.rows.map((x) => x.regime)).toEqual([...OVERHEAD_REGIMES]);
    for (const row of r.rows) {
      expect(row.error).toBe(0);
      expect(row.medianMs).toBeGreaterThan(0);
      expect(row.dispatches).toBe(row.regime === 'fused' ? 1 : 8);
      expect(row.perLaunchUs === null).toBe(row.regime === 'fused');
    }
    const fused = r.rows.find((x) => x.regime === 'fused')!;
    const subs = r.rows.find((x) => x.regime === 'submits')!;
    // The per-launch figure is defined from the medians, whatever their values.
    expect(subs.perLaunchUs).toBeCloseTo(((subs.medianMs - fused.medianMs) / 7) * 1000, 9);
  });
  it('refuses sizes it cannot run, with the reason', () => {
    expect(() => checkOverheadParams({ n: 0, k: 8, samples: 1 })).toThrow(/Vector length/);
    expect(() => checkOverheadParams({ n: 10, k: 1, samples: 1 })).toThrow(/K must be/);
  });
});
