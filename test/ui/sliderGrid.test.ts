import { describe, expect, it } from 'vitest';
import { gridIndex, logGrid, valueText } from '../../src/ui/sliderGrid';

describe('log2 slider positions', () => {
  const spec = { kind: 'int' as const, min: 100, max: 100_000 };

  it('stands on the shown value even when it is off the powers-of-two grid from the minimum', () => {
    const grid = logGrid(spec, 2000);
    expect(grid[gridIndex(grid, 2000)]).toBe(2000);
    // The old fixed grid (100·2^k) drew 2000 at 1600 or 3200.
    expect(grid).not.toContain(1600);
    expect(grid).not.toContain(3200);
  });

  // Away from the ends: a step onto the maximum re-anchors there (the grid cannot remember 77,777).
  it('round-trips: one step right then one step left returns to the value shown', () => {
    for (const start of [100, 130, 2000, 3000, 40_000]) {
      const g0 = logGrid(spec, start);
      const i = gridIndex(g0, start);
      const right = g0[Math.min(i + 1, g0.length - 1)];
      const g1 = logGrid(spec, right);
      const back = g1[Math.max(gridIndex(g1, right) - 1, 0)];
      if (right !== spec.max) expect(back).toBe(start);
    }
  });

  it('keeps small integers exact (burstiness 3 is drawn at 3, not 4)', () => {
    const grid = logGrid({ kind: 'int', min: 1, max: 16 }, 3);
    expect(grid[gridIndex(grid, 3)]).toBe(3);
    expect(grid[0]).toBe(1);
    expect(grid.at(-1)).toBe(16);
    expect(new Set(grid).size).toBe(grid.length);
  });

  it('falls back to the minimum for a value outside the range', () => {
    const grid = logGrid(spec, -5);
    expect(grid[0]).toBe(100);
    expect(grid.at(-1)).toBe(100_000);
  });

  it('announces the value and its unit, not the slider position', () => {
    expect(valueText(256, 'rows')).toBe('256 rows');
    expect(valueText(3200)).toBe('3,200');
    expect(valueText(0.123456, 'ms')).toBe('0.1235 ms');
  });
});
