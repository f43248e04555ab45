import type { ParamSchema, ParamValues } from '../labkit/schema';
import { validateParams } from '../labkit/validate';
import type { ScenarioIndex as Scenario } from './index';
import { stateAt } from './state';

/**
 * A scenario link: `?scenario=ID&step=K` plus only the values the user changed away from that
 * step's state, so the link reproduces the view and stays short.
 */
export function scenarioSearch(s: Scenario, index: number, schema?: ParamSchema, values?: ParamValues): string {
  const q = new URLSearchParams({ scenario: s.id, step: String(index + 1) });
  if (schema && values) {
    const st = stateAt(s, index);
    const base = validateParams(schema, st.params[st.lab] ?? {}).values;
    for (const spec of schema) {
      const v = values[spec.key];
      if (v !== undefined && v !== base[spec.key]) q.set(spec.key, String(v));
    }
  }
  return `?${q.toString()}`;
}
