import { z } from 'zod';
import type { ParamSchema, ParamSpec } from '../labkit/schema';
import { quote, validateParam } from '../labkit/validate';
import { SCENARIO_TOPICS } from './topics';

/**
 * The scenario file format (scenarios/<id>.json) and its checks. Used at build time (vite.config.ts)
 * and by the tests; the app itself trusts files that passed here and never bundles zod.
 */

const ParamValuesZ = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));

const StepZ = z.strictObject({
  /** A few words for the step list ("Fuse the passes"). */
  title: z.string().min(1).max(60),
  /** The narrative: what to look at and why it matters. */
  text: z.string().min(1),
  /** Switches to another lab for this and the following steps (tours across labs). */
  lab: z.string().min(1).optional(),
  /** Parameter changes this step applies on top of the previous step's state. */
  params: ParamValuesZ.optional(),
  /** 'run' starts a run even for labs that do not run by themselves. */
  actions: z.array(z.enum(['run'])).optional(),
});

const RecordedRunZ = z.strictObject({
  lab: z.string().min(1),
  /** The parameters the result was measured with (values that differ from the defaults suffice). */
  params: ParamValuesZ,
  /**
   * The scenario's own values, where the recording device clamped them to `params` (a software
   * adapter limits sizes): the run is replayed for these values, with `clamped` shown beside it.
   */
  requested: ParamValuesZ.optional(),
  /** The recording device's notices for that clamp, word for word. */
  clamped: z.array(z.string().min(1)).optional(),
  /** The lab's run() result, plain JSON by the lab contract. */
  result: z.json(),
});

const RecordingZ = z.strictObject({
  /** The adapter the runs were measured on, shown beside every replayed number. */
  adapter: z.string().min(1),
  recordedAt: z.iso.datetime({ offset: true }),
  runs: z.array(RecordedRunZ).min(1),
});

export const ScenarioZ = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens'),
  title: z.string().min(1).max(80),
  summary: z.string().min(1).max(280),
  /** A lab id (the gallery group), or `end-to-end` for tours across labs. */
  topic: z.enum(SCENARIO_TOPICS),
  /** The lab the scenario opens in. */
  lab: z.string().min(1),
  /** Starting parameters of that lab; unset ones are the lab's defaults. */
  params: ParamValuesZ,
  steps: z.array(StepZ).min(1),
  interviewQuestion: z.string().min(1).optional(),
  /** Observations from the lab that a good answer cites. */
  goodAnswer: z.array(z.string().min(1)).min(1).optional(),
  /** Kernel results for replay where WebGPU is missing (scripts/record-scenarios.mjs writes it). */
  recording: RecordingZ.optional(),
});

export type Scenario = z.infer<typeof ScenarioZ>;
export type ScenarioStep = z.infer<typeof StepZ>;
export type Recording = z.infer<typeof RecordingZ>;
export type RecordedRun = z.infer<typeof RecordedRunZ>;

/** What the checks need to know about a lab; LabMeta satisfies it. */
export interface LabInfo {
  id: string;
  gpu: 'required' | 'optional' | 'none';
  schema: ParamSchema;
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/** A scenario value must be exactly valid: the right JSON type and accepted unchanged by the lab's schema. */
function paramProblem(spec: ParamSpec, v: unknown): string | null {
  const want = spec.kind === 'bool' ? 'boolean' : spec.kind === 'enum' || spec.kind === 'text' ? 'string' : 'number';
  if (typeof v !== want) return `expected a ${want}, got ${typeOf(v)} ${quote(v)}`;
  const { value, notice } = validateParam(spec, v);
  if (notice) return notice.replace(/; using .*$/, '');
  if (value !== v) return `${quote(v)} would be changed to ${quote(value)}`;
  return null;
}

function checkParams(out: string[], where: string, lab: LabInfo, params: Record<string, unknown>): void {
  const specs = new Map(lab.schema.map((s) => [s.key, s]));
  for (const [key, v] of Object.entries(params)) {
    const spec = specs.get(key);
    if (!spec) {
      out.push(
        `${where}.${key}: lab "${lab.id}" has no parameter ${quote(key)} (it has ${[...specs.keys()].join(', ')})`,
      );
      continue;
    }
    const problem = paramProblem(spec, v);
    if (problem) out.push(`${where}.${key}: ${problem}`);
  }
}

export interface CheckResult {
  scenario: Scenario | null;
  /** Each "file: field.path: problem". */
  errors: string[];
}

/**
 * Checks one parsed scenario file: its shape, that its id matches the file name, that every lab
 * exists and that every parameter value is one the lab accepts as is (not merely clampable).
 */
export function checkScenario(file: string, data: unknown, labs: readonly LabInfo[]): CheckResult {
  const parsed = ScenarioZ.safeParse(data);
  if (!parsed.success) {
    return { scenario: null, errors: parsed.error.issues.map((i) => `${file}: ${pathText(i.path)}: ${i.message}`) };
  }
  const s = parsed.data;
  const errors: string[] = [];
  const byId = new Map(labs.map((l) => [l.id, l]));
  const known = labs.map((l) => l.id).join(', ');
  const stem = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  if (s.id !== stem) errors.push(`${file}: id: "${s.id}" must match the file name "${stem}"`);

  const start = byId.get(s.lab);
  if (!start) errors.push(`${file}: lab: unknown lab ${quote(s.lab)} (known: ${known})`);
  else checkParams(errors, `${file}: params`, start, s.params);

  let current = start;
  s.steps.forEach((step, i) => {
    if (step.lab !== undefined) {
      current = byId.get(step.lab);
      if (!current) errors.push(`${file}: steps[${i}].lab: unknown lab ${quote(step.lab)} (known: ${known})`);
    }
    if (step.params && current) checkParams(errors, `${file}: steps[${i}].params`, current, step.params);
  });

  s.recording?.runs.forEach((run, i) => {
    const lab = byId.get(run.lab);
    if (!lab) errors.push(`${file}: recording.runs[${i}].lab: unknown lab ${quote(run.lab)} (known: ${known})`);
    else {
      checkParams(errors, `${file}: recording.runs[${i}].params`, lab, run.params);
      if (run.requested) checkParams(errors, `${file}: recording.runs[${i}].requested`, lab, run.requested);
      if (Boolean(run.requested) !== Boolean(run.clamped?.length))
        errors.push(
          `${file}: recording.runs[${i}]: "requested" and "clamped" go together (the values asked for, and why the device changed them)`,
        );
      if (lab.gpu === 'none')
        errors.push(`${file}: recording.runs[${i}].lab: lab "${lab.id}" runs without WebGPU, so it needs no recording`);
    }
  });
  return { scenario: errors.length ? null : s, errors };
}

/** Parses and checks a file's text; a JSON syntax error is reported like any other problem. */
export function checkScenarioText(file: string, text: string, labs: readonly LabInfo[]): CheckResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { scenario: null, errors: [`${file}: (root): not valid JSON: ${(e as Error).message}`] };
  }
  return checkScenario(file, data, labs);
}
