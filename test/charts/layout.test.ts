import { describe, expect, it } from 'vitest';
import {
  FONT_PX,
  fitLabel,
  legendLayout,
  logTicks,
  sideLabel,
  textWidth,
  thinTicks,
  wrapText,
} from '../../src/charts/layout';

describe('tick thinning', () => {
  it('keeps every tick when the labels fit, and every k-th when they would collide', () => {
    const ticks = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // 40 px apart, labels 20 px wide: all fit (needs 20 + 6).
    expect(
      thinTicks(
        ticks,
        (t) => t * 40,
        () => 20,
      ),
    ).toEqual(ticks);
    // 20 px apart, labels 30 px wide: every other one is 40 px apart ≥ 30 + 6.
    expect(
      thinTicks(
        ticks,
        (t) => t * 20,
        () => 30,
      ),
    ).toEqual([0, 2, 4, 6, 8, 10]);
    // 10 px apart, labels 50 px wide: k = 6 gives 60 px ≥ 56.
    expect(
      thinTicks(
        ticks,
        (t) => t * 10,
        () => 50,
      ),
    ).toEqual([0, 6]);
  });

  it('uses each label’s own width (long labels need more room than short ones)', () => {
    const labels = ['1', '10', '100', '1000', '10000'];
    const kept = thinTicks(
      [0, 1, 2, 3, 4],
      (t) => t * 30,
      (t) => textWidth(labels[t]),
    );
    // 30 px apart: '100' and '1000' (19.8 + 26.4)/2 + 6 = 29.1 fits; '1000' and '10000' needs 35.7: thinned.
    expect(kept).toEqual([0, 2, 4]);
  });

  it('never returns nothing for a single tick or an impossible fit', () => {
    expect(
      thinTicks(
        [5],
        () => 0,
        () => 100,
      ),
    ).toEqual([5]);
    expect(
      thinTicks(
        [1, 2],
        () => 0,
        () => 100,
      ),
    ).toEqual([1]);
  });
});

describe('log ticks', () => {
  it('gives the powers of the base inside the domain', () => {
    expect(logTicks(0.5, 2000)).toEqual([1, 10, 100, 1000]);
    expect(logTicks(3, 300, 2)).toEqual([4, 8, 16, 32, 64, 128, 256]);
  });
  it('falls back to 1-2-5 steps when the domain spans less than two powers', () => {
    expect(logTicks(1.5, 40)).toEqual([2, 5, 10, 20]);
    expect(logTicks(0, 10)).toEqual([]);
  });
});

describe('legend placement', () => {
  const items = ['P50', 'P90', 'P99'].map((label) => ({ label }));
  it('puts a short legend at the right of a wide chart', () => {
    const l = legendLayout(items, 900);
    expect(l.placement).toBe('right');
    expect(l.at.map((p) => p.x)).toEqual([0, 0, 0]);
    expect(new Set(l.at.map((p) => p.y)).size).toBe(3);
  });
  it('moves it below a narrow chart and wraps entries without overlap', () => {
    const long = ['throughput (completed req/s)', 'goodput (req/s within SLO)', 'offered load'].map((label) => ({
      label,
    }));
    const l = legendLayout(long, 340);
    expect(l.placement).toBe('below');
    // Entries on one row never overlap, and no entry starts past the width.
    for (let i = 0; i < long.length; i++)
      for (let j = i + 1; j < long.length; j++) {
        if (l.at[i].y !== l.at[j].y) continue;
        const wi = 22 + textWidth(long[i].label);
        expect(l.at[i].x + wi).toBeLessThanOrEqual(l.at[j].x);
      }
    expect(l.at.every((p) => p.x < 340)).toBe(true);
    expect(l.height).toBeGreaterThan(18);
  });
  it('keeps a legend below when asked, at any width', () => {
    expect(legendLayout(items, 1200, false).placement).toBe('below');
  });
});

describe('label fitting', () => {
  it('centres a label that fits and pushes one against the edge it would cross', () => {
    expect(fitLabel(100, 'abc', 0, 200)).toEqual({ x: 100, anchor: 'middle' });
    expect(fitLabel(2, 'a long label', 0, 200)).toEqual({ x: 2, anchor: 'start' });
    expect(fitLabel(198, 'a long label', 0, 200)).toEqual({ x: 198, anchor: 'end' });
  });
  it('puts a marker label on the side of its line where it fits', () => {
    const text = 'SLO breaks ≈ 20 req/s';
    const w = textWidth(text);
    expect(sideLabel(10, text, 0, 400)).toEqual({ x: 14, anchor: 'start' });
    expect(sideLabel(390, text, 0, 400)).toEqual({ x: 386, anchor: 'end' });
    expect(390 - 4 - w).toBeGreaterThan(0);
  });
  it('estimates text at the kit’s minimum size of 11 px', () => {
    expect(FONT_PX).toBe(11);
    expect(textWidth('0000000000')).toBeCloseTo(66, 6);
  });
});

describe('text wrapping', () => {
  it('breaks at spaces so that no line is wider than the width', () => {
    const text = 'filter day ≥ 75 (keeps 25% of rows), then 4 columns';
    const lines = wrapText(text, 200);
    expect(lines.join(' ')).toBe(text);
    expect(lines.length).toBe(2);
    for (const l of lines) expect(textWidth(l)).toBeLessThanOrEqual(200);
    expect(wrapText('short', 200)).toEqual(['short']);
    expect(wrapText('averyveryverylongword x', 20)).toEqual(['averyveryverylongword', 'x']);
  });
});
