import { describe, expect, it } from 'vitest';
import { isNumberCell } from '../../src/ui/ResultsTable';

describe('results table cells', () => {
  it('keeps a number with its unit on one line', () => {
    for (const v of [
      3.7e-7,
      '3.7e-7',
      '1.38\u2009GB/s',
      '0.42 ms',
      '12.5\u2009GFLOP/s',
      '−12\u2009%',
      '1,342,951/s',
      '4.125',
      '3.2×',
    ])
      expect(isNumberCell(v), String(v)).toBe(true);
  });
  it('lets words and sentences wrap', () => {
    for (const v of ['int4 + zp', 'round-to-nearest', 'matches the full read', 'register-blocked vec4', ''])
      expect(isNumberCell(v), v).toBe(false);
  });
});
