import type { RecordedRun, Scenario } from './schema';

/** A scenario as bundled up front: each recorded run keeps its lab and parameters, not its result. */
export type ScenarioIndex = Omit<Scenario, 'recording'> & {
  recording?: Omit<NonNullable<Scenario['recording']>, 'runs'> & { runs: Omit<RecordedRun, 'result'>[] };
};

/**
 * Every scenario file. The build (vite.config.ts) and test/scenarios have checked each one against
 * its lab's schema, so the app ships no validator. `?index` (a plugin in vite.config.ts) leaves the
 * recorded results out of the eager bundle; `loadRecordedResult` fetches them on demand.
 */
const index = import.meta.glob<ScenarioIndex>('/scenarios/*.json', { eager: true, import: 'default', query: '?index' });
const full = import.meta.glob<Scenario>('/scenarios/*.json', { import: 'default' });

export const SCENARIOS: readonly ScenarioIndex[] = Object.values(index).sort((a, b) => a.title.localeCompare(b.title));

export function findScenario(id: string | null | undefined): ScenarioIndex | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

/** The result of a scenario's recorded run, loaded from its file (a separate chunk). */
export async function loadRecordedResult(scenarioId: string, runIndex: number): Promise<unknown> {
  const load = full[`/scenarios/${scenarioId}.json`];
  if (!load) throw new Error(`No scenario file for "${scenarioId}".`);
  const s = await load();
  const run = s.recording?.runs[runIndex];
  if (!run) throw new Error(`Scenario "${scenarioId}" has no recorded run ${runIndex}.`);
  return run.result;
}
