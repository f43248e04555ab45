import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABS } from '../../src/labs/registry';
import { defaults } from '../../src/labkit/schema';
import { validateParams } from '../../src/labkit/validate';
import { SCENARIOS } from '../../src/scenarios';
import { checkScenarioDir } from '../../src/scenarios/buildCheck';
import { checkScenarioText } from '../../src/scenarios/schema';
import { parseStep, stateAt } from '../../src/scenarios/state';

const root = join(import.meta.dirname, '../..');
const fixtures = join(import.meta.dirname, 'fixtures');

function check(dir: string, file: string) {
  return checkScenarioText(`scenarios/${file}`, readFileSync(join(dir, file), 'utf8'), LABS);
}

describe('scenario files', () => {
  const files = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.json'));

  it('exist, one per topic at least for every lab that has landed', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(SCENARIOS.length).toBe(files.length);
  });

  it.each(files)('%s is valid against the schema and its labs', (file) => {
    expect(check(join(root, 'scenarios'), file).errors).toEqual([]);
  });

  it('every step state holds only values the labs accept unchanged', () => {
    for (const s of SCENARIOS) {
      s.steps.forEach((_, i) => {
        const st = stateAt(s, i);
        for (const [labId, raw] of Object.entries(st.params)) {
          const lab = LABS.find((l) => l.id === labId)!;
          expect(
            validateParams(lab.schema, raw, defaults(lab.schema)).notices,
            `${s.id} step ${i + 1} ${labId}`,
          ).toEqual([]);
        }
      });
    }
  });

  it('the build-time check (Vite module runner) agrees: no errors', async () => {
    const { files: checked, errors } = await checkScenarioDir(root);
    expect(checked.length).toBe(files.length);
    expect(errors).toEqual([]);
  });
});

describe('broken scenario files are rejected with file, field and problem', () => {
  it('a value the lab would clamp', () => {
    expect(check(fixtures, 'bad-param.json').errors).toEqual([
      'scenarios/bad-param.json: params.copyMiB: Copy buffer: 4096 is outside 1–1024 MiB',
    ]);
  });

  it('wrong shapes: empty title, unknown topic and action, extra key', () => {
    const { errors } = check(fixtures, 'bad-shape.json');
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^scenarios\/bad-shape\.json: title: Too small/);
    expect(errors.find((e) => e.includes(': topic:'))).toMatch(
      /topic: Invalid option: expected one of "device"\|"memory-wall"\|/,
    );
    expect(errors.find((e) => e.includes('steps[0].actions[0]'))).toMatch(
      /steps\[0\]\.actions\[0\]: Invalid input: expected "run"/,
    );
    expect(errors.find((e) => e.includes('Unrecognized'))).toMatch(/\(root\): Unrecognized key: "extra"/);
  });

  it('steps: wrong types, fractions, unknown parameters and labs', () => {
    const { errors } = check(fixtures, 'bad-step.json');
    expect(errors).toEqual([
      'scenarios/bad-step.json: steps[0].params.samples: expected a number, got string "7"',
      'scenarios/bad-step.json: steps[0].params.fmaThreads: FMA invocations: 100.5 is not a whole number',
      'scenarios/bad-step.json: steps[0].params.nope: lab "device" has no parameter "nope" (it has copyMiB, fmaThreads, fmaIterations, samples)',
      expect.stringMatching(/^scenarios\/bad-step\.json: steps\[1\]\.lab: unknown lab "warp-drive" \(known: device/),
    ]);
  });

  it('id must match the file name; the recording needs an ISO date', () => {
    const { errors } = check(fixtures, 'bad-recording.json');
    expect(errors).toEqual([
      expect.stringMatching(/^scenarios\/bad-recording\.json: recording\.recordedAt: Invalid ISO datetime/),
    ]);
    const fixed = JSON.parse(readFileSync(join(fixtures, 'bad-recording.json'), 'utf8'));
    fixed.recording.recordedAt = '2026-11-26T20:00:00Z';
    expect(checkScenarioText('scenarios/bad-recording.json', JSON.stringify(fixed), LABS).errors).toEqual([
      'scenarios/bad-recording.json: id: "wrong-name" must match the file name "bad-recording"',
    ]);
  });

  it('a clamped run names the values asked for and the device’s reasons together, both checked', () => {
    const base = JSON.parse(readFileSync(join(fixtures, 'bad-recording.json'), 'utf8'));
    base.id = 'bad-recording';
    base.recording.recordedAt = '2026-11-26T20:00:00Z';
    const run = base.recording.runs[0];
    const errorsOf = (r: Record<string, unknown>) =>
      checkScenarioText(
        'scenarios/bad-recording.json',
        JSON.stringify({ ...base, recording: { ...base.recording, runs: [{ ...run, ...r }] } }),
        LABS,
      ).errors;
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ requested: {}, clamped: ['The device limited the size.'] })).toEqual([]);
    expect(errorsOf({ requested: {} })).toEqual([
      expect.stringMatching(/recording\.runs\[0\]: "requested" and "clamped" go together/),
    ]);
    expect(errorsOf({ requested: { nonsense: 1 }, clamped: ['x'] })).toEqual([
      expect.stringMatching(/recording\.runs\[0\]\.requested/),
    ]);
  });

  it('a JSON syntax error names the file', () => {
    expect(check(fixtures, 'broken-json.json').errors).toEqual([
      expect.stringMatching(/^scenarios\/broken-json\.json: \(root\): not valid JSON: /),
    ]);
  });
});

describe('scenario state', () => {
  const s = SCENARIOS.find((x) => x.steps.some((st) => st.params))!;

  it('applies each step on top of the previous ones', () => {
    const last = stateAt(s, s.steps.length - 1);
    const expected: Record<string, Record<string, unknown>> = { [s.lab]: { ...s.params } };
    let lab = s.lab;
    for (const step of s.steps) {
      lab = step.lab ?? lab;
      expected[lab] = { ...expected[lab], ...step.params };
    }
    expect(last.params).toEqual(expected);
    expect(stateAt(s, 0).params[s.lab]).toEqual({ ...s.params, ...(s.steps[0].lab ? {} : s.steps[0].params) });
  });

  it('reads step= from the URL, 1-based, and explains a bad one', () => {
    expect(parseStep(null, 4)).toEqual({ index: 0 });
    expect(parseStep('3', 4)).toEqual({ index: 2 });
    expect(parseStep('9', 4)).toEqual({
      index: 3,
      notice: 'Step "9" does not exist in this scenario (it has 4 steps); showing step 4.',
    });
    expect(parseStep('<b>x</b>', 4).notice).toContain('showing step 1');
    expect(parseStep('NaN', 4).index).toBe(0);
    expect(parseStep('1e400', 4).index).toBe(0);
  });
});
