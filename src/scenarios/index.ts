import type { Scenario } from './schema';

/**
 * Every scenario file, bundled with the app. The build (vite.config.ts) and test/scenarios have
 * checked each one against its lab's schema, so the app does not ship a validator for them.
 */
const files = import.meta.glob<Scenario>('/scenarios/*.json', { eager: true, import: 'default' });

export const SCENARIOS: readonly Scenario[] = Object.values(files).sort((a, b) => a.title.localeCompare(b.title));

export function findScenario(id: string | null | undefined): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
