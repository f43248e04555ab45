import { useEffect } from 'react';
import { findLab } from '../labs/registry';
import { defaults } from '../labkit/schema';
import type { LabEntry } from '../labs/registry';
import { parseUrl, type UrlState } from '../labkit/url';
import { quote, validateParams } from '../labkit/validate';
import { findScenario } from '../scenarios';
import type { ScenarioIndex as Scenario } from '../scenarios';
import { parseStep, stateAt, type ScenarioState } from '../scenarios/state';
import { appStore } from '../store';
import { runLab } from './labRunner';
import { applyParams, paramsKey } from './labState';
import { useSearch } from './router';
import { heavyNotice } from '../labkit/cost';

export interface Route {
  url: UrlState;
  entry: LabEntry | undefined;
  scenario: Scenario | undefined;
  state: ScenarioState | null;
  /** What in the address could not be used (unknown lab or scenario, a bad step); shown as text. */
  notices: string[];
}

/** Pure: what a query string asks for. `?scenario=` wins over `?lab=`, since a scenario names its lab. */
export function resolveRoute(search: string): Route {
  const url = parseUrl(search);
  const notices: string[] = [...url.notices];
  const scenario = url.scenario !== null ? findScenario(url.scenario) : undefined;
  let state: ScenarioState | null = null;
  if (url.scenario !== null && !scenario) notices.push(`There is no scenario called ${quote(url.scenario)}.`);
  if (scenario) {
    const step = parseStep(new URLSearchParams(search).get('step'), scenario.steps.length);
    if (step.notice) notices.push(step.notice);
    state = stateAt(scenario, step.index);
  }
  const entry = findLab(state ? state.lab : url.lab);
  if (!state && url.lab !== null && !entry) notices.push(`There is no lab called ${quote(url.lab)}.`);
  return { url, entry, scenario, state, notices };
}

/**
 * URL → store. The URL is the whole state: a lab's values missing from it are its defaults; in a
 * scenario, the step's state, with any values the user changed on top.
 */
export function useRoute(): Route {
  const search = useSearch();
  const route = resolveRoute(search);
  const { entry, state, url } = route;
  useEffect(() => {
    if (!entry) return;
    const st = appStore.getState();
    if (state) {
      // Earlier steps may have set up other labs of a tour; keep them in step too.
      for (const [labId, raw] of Object.entries(state.params)) {
        const other = findLab(labId);
        if (other && labId !== entry.id) applyParams(other, raw, { base: defaults(other.schema) });
      }
    }
    const raw = state ? { ...state.params[entry.id], ...url.raw } : url.raw;
    const fromUrl = validateParams(entry.schema, raw, defaults(entry.schema));
    const current = st.params[entry.id];
    const changed = !current || paramsKey(current) !== paramsKey(fromUrl.values);
    // Our own replaceState after a control change lands here too; it must not wipe the notices.
    if (changed || fromUrl.notices.length) applyParams(entry, raw, { base: defaults(entry.schema) });
    // A step that asks for a run gets one where the lab would not start by itself.
    const mode = entry.autoRun ?? 'change';
    const hasRun = Boolean(st.results[entry.id]?.paramsKey);
    const heavy = heavyNotice(entry, appStore.getState().params[entry.id] ?? fromUrl.values);
    if (
      state?.run &&
      !heavy &&
      (mode === 'never' || (mode === 'open' && hasRun) || (mode === 'change' && hasRun && !changed))
    )
      void runLab(entry);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs on a URL change only; the store and registry are read fresh inside
  }, [search]);
  return route;
}
