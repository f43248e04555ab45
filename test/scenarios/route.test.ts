import { describe, expect, it } from 'vitest';
import { resolveRoute } from '../../src/app/route';
import { scenarioLinkFor } from '../../src/app/scenarioLink';
import { findLab } from '../../src/labs/registry';
import { defaults, type NumberParam, type ParamSpec } from '../../src/labkit/schema';
import { validateParams } from '../../src/labkit/validate';
import { SCENARIOS } from '../../src/scenarios';
import { findRecordedRun, mergeReplay } from '../../src/scenarios/replay';
import { stateAt, stepLab } from '../../src/scenarios/state';

const isInt = (p: ParamSpec): p is NumberParam => p.kind === 'int';

describe('routes from the address bar', () => {
  it('opens a scenario at its step, in the lab that step belongs to', () => {
    for (const s of SCENARIOS) {
      s.steps.forEach((_, i) => {
        const r = resolveRoute(`?scenario=${s.id}&step=${i + 1}`);
        expect(r.notices).toEqual([]);
        expect(r.state?.index).toBe(i);
        expect(r.entry?.id).toBe(stepLab(s, i));
      });
    }
  });

  it('a tour moves between labs', () => {
    const tour = SCENARIOS.find((s) => new Set([s.lab, ...s.steps.map((st) => st.lab).filter(Boolean)]).size > 1);
    expect(tour, 'a scenario that links two labs').toBeTruthy();
    const labs = tour!.steps.map((_, i) => resolveRoute(`?scenario=${tour!.id}&step=${i + 1}`).entry?.id);
    expect(new Set(labs).size).toBeGreaterThan(1);
  });

  it('unknown scenarios, labs and steps become text notices', () => {
    expect(resolveRoute('?scenario=%3Cscript%3Ealert(1)%3C%2Fscript%3E').notices).toEqual([
      'There is no scenario called "<script>alert(1)</script>".',
    ]);
    expect(resolveRoute('?lab=nope').notices).toEqual(['There is no lab called "nope".']);
    const s = SCENARIOS[0];
    const r = resolveRoute(`?scenario=${s.id}&step=NaN`);
    expect(r.state?.index).toBe(0);
    expect(r.notices[0]).toMatch(/^Step "NaN" does not exist in this scenario/);
  });

  it('an edit inside a scenario keeps the scenario link, with only the changed value added', () => {
    const s = SCENARIOS.find((x) => findLab(x.lab)?.schema.some(isInt))!;
    const lab = findLab(s.lab)!;
    const st = stateAt(s, 0);
    const values = validateParams(lab.schema, st.params[lab.id], defaults(lab.schema)).values;
    const spec = lab.schema.find(isInt)!;
    const changed = { ...values, [spec.key]: values[spec.key] === spec.min ? spec.max : spec.min };
    const link = scenarioLinkFor(lab, changed, `?scenario=${s.id}&step=1`)!;
    const q = new URLSearchParams(link);
    expect(q.get('scenario')).toBe(s.id);
    expect(q.get('step')).toBe('1');
    expect([...q.keys()].sort()).toEqual(['scenario', spec.key, 'step'].sort());
    expect(scenarioLinkFor(lab, changed, `?lab=${lab.id}`)).toBeNull();
  });
});

describe('replay of recordings', () => {
  it('finds a recorded run only for exactly its parameters', () => {
    const s = SCENARIOS.find((x) => x.recording)!;
    const run = s.recording!.runs[0];
    const lab = findLab(run.lab)!;
    const values = validateParams(lab.schema, run.params, defaults(lab.schema)).values;
    expect(findRecordedRun(SCENARIOS, lab.id, lab.schema, values)).toMatchObject({ adapter: s.recording!.adapter });
    const spec = lab.schema.find(isInt)!;
    const other = { ...values, [spec.key]: values[spec.key] === spec.min ? spec.max : spec.min };
    const hit = findRecordedRun(SCENARIOS, lab.id, lab.schema, other);
    if (hit)
      expect(SCENARIOS.find((x) => x.id === hit.scenario)!.recording!.runs[hit.runIndex].params[spec.key]).toBe(
        other[spec.key],
      );
  });

  it('a run the recording device clamped stands for the values the scenario asked for, and says what changed', () => {
    const lab = findLab('decode')!;
    const clamp = 'This adapter limited the layer to 1024×1024.';
    const scenarios = [
      {
        ...SCENARIOS[0],
        id: 'clamped',
        recording: {
          adapter: 'google/swiftshader',
          recordedAt: '2026-12-01T00:00:00.000Z',
          runs: [{ lab: 'decode', params: { N: 1024, K: 1024 }, requested: { N: 4096, K: 4096 }, clamped: [clamp] }],
        },
      },
    ];
    const asked = validateParams(lab.schema, { N: 4096, K: 4096 }, defaults(lab.schema)).values;
    expect(findRecordedRun(scenarios, 'decode', lab.schema, asked)).toEqual({
      scenario: 'clamped',
      runIndex: 0,
      adapter: 'google/swiftshader',
      recordedAt: '2026-12-01T00:00:00.000Z',
      clamped: [clamp],
    });
    // The clamped values themselves are not what the scenario asked for: no replay claims them.
    expect(
      findRecordedRun(
        scenarios,
        'decode',
        lab.schema,
        validateParams(lab.schema, { N: 1024, K: 1024 }, defaults(lab.schema)).values,
      ),
    ).toBeNull();
  });

  it('live simulation values win; the recording fills what needs a GPU', () => {
    expect(mergeReplay({ sim: 1, kernel: null }, { kernel: { ms: 2 }, sim: 9 })).toEqual({ sim: 1, kernel: { ms: 2 } });
  });
});
