import { describe, expect, it } from 'vitest';
import { LABS } from '../../src/labs/registry';
import { defaults, type ParamSchema, type ParamSpec, type ParamValues } from '../../src/labkit/schema';
import { labUrl, parseUrl } from '../../src/labkit/url';
import { validateParams } from '../../src/labkit/validate';
import { SCENARIOS } from '../../src/scenarios';
import { stateAt } from '../../src/scenarios/state';
import { scenarioSearch } from '../../src/scenarios/url';
import { xorshift32 } from '../../src/kernels/random';

/** The same "random" states on every run, so a failure reproduces. */
function rng(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 2 ** 32;
}

function randomValue(spec: ParamSpec, r: () => number): ParamValues[string] {
  switch (spec.kind) {
    case 'bool':
      return r() < 0.5;
    case 'enum':
      return spec.values[Math.floor(r() * spec.values.length)];
    case 'int':
      if (spec.scale === 'log2')
        return Math.min(
          spec.max,
          Math.max(
            spec.min,
            Math.round(
              2 ** (Math.log2(Math.max(spec.min, 1)) + r() * (Math.log2(spec.max) - Math.log2(Math.max(spec.min, 1)))),
            ),
          ),
        );
      return spec.min + Math.floor(r() * (spec.max - spec.min + 1));
    case 'number':
      // Awkward binary fractions on purpose: the URL must carry them exactly.
      return spec.min + r() * (spec.max - spec.min);
    case 'text': {
      const abc = textAlphabet(spec);
      return Array.from(
        { length: Math.floor(r() * Math.min(spec.maxLength, 64)) },
        () => abc[Math.floor(r() * abc.length)],
      ).join('');
    }
  }
}

/**
 * base64url characters, the alphabet a compressed config uses ('-' and '_' must survive the URL),
 * less those a text parameter's own pattern refuses (a run name has no '_').
 */
function textAlphabet(spec: Extract<ParamSpec, { kind: 'text' }>): string {
  const all = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const re = spec.pattern === undefined ? null : new RegExp(`^(?:${spec.pattern})$`);
  return [...all].filter((c) => !re || re.test(c)).join('');
}

/** Edge states (all minimums, all maximums, every enum value) plus seeded random ones. */
function states(schema: ParamSchema): ParamValues[] {
  const out: ParamValues[] = [defaults(schema)];
  const pick = (f: (s: ParamSpec) => ParamValues[string]) => Object.fromEntries(schema.map((s) => [s.key, f(s)]));
  out.push(pick((s) => (s.kind === 'bool' ? true : s.kind === 'enum' ? s.values[0] : s.kind === 'text' ? '' : s.min)));
  out.push(
    pick((s) =>
      s.kind === 'bool'
        ? false
        : s.kind === 'enum'
          ? s.values[s.values.length - 1]
          : s.kind === 'text'
            ? textAlphabet(s).at(-1)!.repeat(s.maxLength)
            : s.max,
    ),
  );
  for (const spec of schema)
    if (spec.kind === 'enum') for (const v of spec.values) out.push({ ...defaults(schema), [spec.key]: v });
  const r = rng(0x5eed);
  for (let i = 0; i < 25; i++) out.push(pick((s) => randomValue(s, r)));
  return out;
}

describe('every lab state round-trips through the URL', () => {
  it('covers every registered lab', () => {
    expect(LABS.length).toBeGreaterThan(0);
  });

  describe.each(LABS.map((l) => [l.id, l] as const))('%s', (_, lab) => {
    it('lab links reproduce the exact values, with no notices', () => {
      for (const values of states(lab.schema)) {
        const search = labUrl(lab.id, lab.schema, values);
        const url = parseUrl(search);
        expect(url.lab).toBe(lab.id);
        const back = validateParams(lab.schema, url.raw, defaults(lab.schema));
        expect(back.notices).toEqual([]);
        expect(back.values).toEqual(values);
      }
    });

    it('scenario links (step state + the user’s edits) reproduce the exact values', () => {
      const scenarios = SCENARIOS.flatMap((s) => s.steps.map((_, i) => ({ s, i }))).filter(
        ({ s, i }) => stateAt(s, i).lab === lab.id,
      );
      for (const { s, i } of scenarios) {
        for (const values of states(lab.schema).slice(0, 8)) {
          const url = parseUrl(scenarioSearch(s, i, lab.schema, values));
          expect(url.scenario).toBe(s.id);
          const st = stateAt(s, i);
          const back = validateParams(lab.schema, { ...st.params[lab.id], ...url.raw }, defaults(lab.schema));
          expect(back.notices).toEqual([]);
          expect(back.values).toEqual(values);
        }
      }
    });
  });
});
