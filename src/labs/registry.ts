import { discoverLabs, type LabEntry } from '../labkit/discover';

/**
 * Every lab, found by folder (`src/labs/<id>/meta.ts` + `entry.ts`) and ordered by `meta.order`.
 * Metas are small and eager (the gallery, the navigation and URL validation need them); `load`
 * pulls the lab's kernels and views on demand, in its own chunk. Nothing is registered by hand.
 */
const found = discoverLabs(import.meta.glob('./*/meta.ts', { eager: true }), import.meta.glob('./*/entry.ts'));

export const LABS: readonly LabEntry[] = found.labs;
/** Folders that break the lab contract (left out of LABS); the unit tests require none. */
export const LAB_PROBLEMS: readonly string[] = found.problems;
for (const p of found.problems) console.error(`Lab left out: ${p}`);

export const LAB_IDS: readonly string[] = LABS.map((l) => l.id);

export function findLab(id: string | null | undefined): LabEntry | undefined {
  return LABS.find((l) => l.id === id);
}

export type { LabEntry };
