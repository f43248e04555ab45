import type { ParamSchema, ParamValue, ParamValues } from '../labkit/schema';
import type { ScenarioIndex as Scenario } from './index';

/**
 * Where a scenario stands at one step: which lab is open and every lab's parameters, the
 * scenario's starting values with each step's changes applied in order. Pure, so the URL, the
 * step panel and the tests share one definition.
 */
export interface ScenarioState {
  /** 0-based index of the current step. */
  index: number;
  lab: string;
  /** Raw parameter values per lab (defaults apply to the rest). */
  params: Record<string, Record<string, ParamValue>>;
  /** The step asks for a run even where the lab would not run by itself. */
  run: boolean;
}

export function stepLab(s: Scenario, index: number): string {
  let lab = s.lab;
  for (let i = 0; i <= index && i < s.steps.length; i++) lab = s.steps[i].lab ?? lab;
  return lab;
}

export function stateAt(s: Scenario, index: number): ScenarioState {
  const i = Math.min(Math.max(0, index), s.steps.length - 1);
  const params: ScenarioState['params'] = { [s.lab]: { ...s.params } };
  let lab = s.lab;
  for (let k = 0; k <= i; k++) {
    const step = s.steps[k];
    lab = step.lab ?? lab;
    if (step.params) params[lab] = { ...params[lab], ...step.params };
  }
  params[lab] ??= {};
  return { index: i, lab, params, run: Boolean(s.steps[i].actions?.includes('run')) };
}

/** `step=` in the URL counts from 1, as people do; anything else falls back to step 1 with a notice. */
export function parseStep(raw: string | null, count: number): { index: number; notice?: string } {
  if (raw === null) return { index: 0 };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > count) {
    const shown = JSON.stringify(raw.length > 16 ? `${raw.slice(0, 16)}…` : raw);
    return {
      index: Number.isFinite(n) && n > count ? count - 1 : 0,
      notice: `Step ${shown} does not exist in this scenario (it has ${count} steps); showing step ${Number.isFinite(n) && n > count ? count : 1}.`,
    };
  }
  return { index: n - 1 };
}

/** True when two value sets agree on every parameter of the schema (key order does not matter). */
export function sameParams(schema: ParamSchema, a: ParamValues, b: ParamValues): boolean {
  return schema.every((s) => (a[s.key] ?? s.default) === (b[s.key] ?? s.default));
}
