import { describe, expect, it } from 'vitest';
import type { ParamSchema } from '../../src/labkit/schema';
import { validateParam } from '../../src/labkit/validate';
import { SESSIONS } from '../../src/interview/sessions';

// Every lab folder's meta, found the way the shell finds them.
const metas = Object.values(
  import.meta.glob<{ meta: { id: string; schema: ParamSchema } }>('../../src/labs/*/meta.ts', { eager: true }),
).map((m) => m.meta);

describe('interview sessions', () => {
  it('have unique ids, a question, and at least three observations each', () => {
    expect(new Set(SESSIONS.map((s) => s.id)).size).toBe(SESSIONS.length);
    for (const s of SESSIONS) {
      expect(s.question.length, s.id).toBeGreaterThan(20);
      expect(s.rubric.length, s.id).toBeGreaterThanOrEqual(3);
      expect(new Set(s.rubric.map((o) => o.id)).size, s.id).toBe(s.rubric.length);
    }
  });

  it('point every observation at a lab state that exists, with values the lab accepts unchanged', () => {
    for (const s of SESSIONS)
      for (const o of s.rubric) {
        const meta = metas.find((m) => m.id === o.lab);
        expect(meta, `${s.id}/${o.id}: no lab ${o.lab}`).toBeDefined();
        for (const [key, value] of Object.entries(o.params)) {
          const spec = meta!.schema.find((p) => p.key === key);
          expect(spec, `${s.id}/${o.id}: lab ${o.lab} has no parameter ${key}`).toBeDefined();
          const v = validateParam(spec!, value);
          expect(v, `${s.id}/${o.id}: ${key}=${value}`).toEqual({ value, notice: undefined });
        }
      }
  });

  it('cover Months 1 to 6 and at least three cross-month chains of Month 7', () => {
    const months = new Set(SESSIONS.map((s) => s.month));
    for (const m of [1, 2, 3, 4, 5, 6]) expect(months.has(m), `month ${m}`).toBe(true);
    const chains = SESSIONS.filter((s) => s.month === 7);
    expect(chains.length).toBeGreaterThanOrEqual(3);
    for (const c of chains) expect(new Set(c.rubric.map((o) => o.lab)).size, c.id).toBeGreaterThanOrEqual(3);
  });
});
