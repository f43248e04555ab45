import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Job results are typed by each lab's job map (LabViewProps' third parameter), so a view never
 * casts a job's or a result's `data`. This scan keeps it that way: a cast there means the lab's
 * job map is missing an entry.
 */
const ROOT = 'src/labs';
const CAST = /\bdata\b(\s*\?\?\s*null)?\)?\s+as\s+(?!const\b)[A-Z(]/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

describe('typed jobs', () => {
  it('the scan recognises a job-data cast', () => {
    expect(CAST.test('const d = (job?.data as RagResult | null) ?? null;')).toBe(true);
    expect(CAST.test('const data = (job?.data ?? null) as LadderResult | null;')).toBe(true);
    expect(CAST.test('const d = job?.data ?? null;')).toBe(false);
  });

  it('no lab casts job or result data', () => {
    const casts = files(ROOT).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (CAST.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(casts).toEqual([]);
  });
});
