import type { ParamValues } from '../labkit/schema';
import type { LabMeta } from '../labkit/contract';
import { findScenario } from '../scenarios';
import { parseStep, stepLab } from '../scenarios/state';
import { scenarioSearch } from '../scenarios/url';

/**
 * While a scenario is open, a parameter edit keeps the link on the scenario and its step, with
 * only the edited values added; null when the current page is not a scenario of this lab.
 */
export function scenarioLinkFor(meta: LabMeta, values: ParamValues, search = window.location.search): string | null {
  const q = new URLSearchParams(search);
  const s = findScenario(q.get('scenario'));
  if (!s) return null;
  const { index } = parseStep(q.get('step'), s.steps.length);
  if (stepLab(s, index) !== meta.id) return null;
  return scenarioSearch(s, index, meta.schema, values);
}
