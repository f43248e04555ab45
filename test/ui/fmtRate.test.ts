import { describe, expect, it } from 'vitest';
import { fmtRate } from '../../src/ui/format';

const THIN = '\u2009';

describe('fmtRate: one decimal-SI formatter for every rate', () => {
  it('uses decimal prefixes and three significant digits, never a binary K', () => {
    // 3,276,800 rows/s was shown as "3200 K/s" (binary K) beside "1,342,951/s".
    expect(fmtRate(3_276_800)).toBe(`3.28${THIN}M/s`);
    expect(fmtRate(1_342_951)).toBe(`1.34${THIN}M/s`);
    expect(fmtRate(842, 'rows')).toBe(`842${THIN}rows/s`);
    expect(fmtRate(12_500, 'req')).toBe(`12.5${THIN}k${THIN}req/s`);
    expect(fmtRate(2.5e9, 'tok')).toBe(`2.50${THIN}G${THIN}tok/s`);
    expect(fmtRate(0)).toBe('0/s');
  });
  it('says — for a rate that is not a number', () => {
    expect(fmtRate(Number.NaN)).toBe('—');
    expect(fmtRate(Infinity, 'rows')).toBe('—');
  });
});
