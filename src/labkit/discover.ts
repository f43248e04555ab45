import type { ComponentType } from 'react';
import type { BenchSuite } from '../bench/types';
import type { LabMeta, LabModule } from './contract';

/**
 * Lab discovery by folder, as pure functions over the records `import.meta.glob` returns
 * (src/labs/registry.ts, src/bench/suites.ts), so a fixture record tests them without Vite.
 * A folder that breaks the contract is left out with a problem naming the file and the fix,
 * so one half-written lab never blanks the app; the unit tests require an empty problem list.
 */

/** A discovered lab: its eager meta and the lazy loader of its module (entry.ts). */
export interface LabEntry extends LabMeta {
  load(): Promise<LabModule>;
}

/** Lab ids are folder names, `?lab=` values, bench `--lab` values and scenario topics: one spelling. */
export const LAB_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

type Loader = () => Promise<unknown>;

/** `./tiling/meta.ts` or `../labs/tiling/bench.ts` → `tiling`. */
export function folderOf(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 2] ?? '';
}

function isMeta(m: unknown): m is LabMeta {
  const x = m as Partial<LabMeta> | null;
  return Boolean(
    x &&
    typeof x.id === 'string' &&
    typeof x.title === 'string' &&
    Array.isArray(x.schema) &&
    typeof x.order === 'number' &&
    Number.isFinite(x.order),
  );
}

/** Ascending `order`, then id, so two labs with the same order still sort the same way everywhere. */
export function byOrder<T extends { id: string; order: number }>(a: T, b: T): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Labs from `import.meta.glob('./*\/meta.ts', { eager: true })` (named export `meta`) and
 * `import.meta.glob('./*\/entry.ts')` (default export: the LabModule), ordered by `meta.order`.
 */
export function discoverLabs(
  metas: Record<string, unknown>,
  entries: Record<string, Loader>,
): { labs: LabEntry[]; problems: string[] } {
  const problems: string[] = [];
  const loaders = new Map(Object.entries(entries).map(([path, load]) => [folderOf(path), load]));
  const labs: LabEntry[] = [];
  for (const [path, mod] of Object.entries(metas)) {
    const folder = folderOf(path);
    const meta = (mod as { meta?: unknown } | null)?.meta;
    if (!LAB_ID.test(folder)) {
      problems.push(
        `src/labs/${folder}/: a lab folder is named in lower-case words joined by hyphens (it is the lab id)`,
      );
      continue;
    }
    if (!isMeta(meta)) {
      problems.push(
        `src/labs/${folder}/meta.ts: export \`const meta = defineLab({ id, title, order, summary, gpu, schema })\``,
      );
      continue;
    }
    if (meta.id !== folder) {
      problems.push(
        `src/labs/${folder}/meta.ts: meta.id is "${meta.id}" but the folder is "${folder}"; they must be the same`,
      );
      continue;
    }
    const load = loaders.get(folder);
    if (!load) {
      problems.push(`src/labs/${folder}/entry.ts is missing: \`export default defineModule(meta, { run, View })\``);
      continue;
    }
    labs.push({ ...meta, load: () => loadModule(folder, load) });
  }
  for (const folder of loaders.keys())
    if (!labs.some((l) => l.id === folder) && !problems.some((p) => p.startsWith(`src/labs/${folder}/`)))
      problems.push(`src/labs/${folder}/meta.ts is missing: \`export const meta = defineLab({...})\``);
  labs.sort(byOrder);
  return { labs, problems };
}

async function loadModule(folder: string, load: Loader): Promise<LabModule> {
  const mod = ((await load()) as { default?: Partial<LabModule> } | null)?.default;
  if (!mod || typeof mod.run !== 'function' || typeof mod.View !== 'function')
    throw new Error(`src/labs/${folder}/entry.ts must \`export default defineModule(meta, { run, View })\``);
  return mod as LabModule;
}

export interface SuiteEntry {
  /** The lab id (its folder), which is also the bench's `--lab` value. */
  lab: string;
  load(): Promise<BenchSuite>;
}

/**
 * Bench suites from `import.meta.glob('../labs/*\/bench.ts')` (named export `suite`), in the labs'
 * order. `order` maps lab ids to `meta.order`; suites of folders without a meta go last.
 */
export function discoverSuites(benches: Record<string, Loader>, order: ReadonlyMap<string, number>): SuiteEntry[] {
  return Object.entries(benches)
    .map(([path, load]) => {
      const lab = folderOf(path);
      return {
        lab,
        order: order.get(lab) ?? Number.POSITIVE_INFINITY,
        load: async () => {
          const suite = ((await load()) as { suite?: BenchSuite } | null)?.suite;
          if (!suite || typeof suite.run !== 'function')
            throw new Error(`src/labs/${lab}/bench.ts must \`export const suite: BenchSuite\``);
          if (suite.lab !== lab)
            throw new Error(
              `src/labs/${lab}/bench.ts: suite.lab is "${suite.lab}" but the lab id is "${lab}"; they must be the same`,
            );
          return suite;
        },
      };
    })
    .sort((a, b) => byOrder({ id: a.lab, order: a.order }, { id: b.lab, order: b.order }))
    .map(({ lab, load }) => ({ lab, load }));
}

/** Gallery thumbnails from `import.meta.glob('./*\/thumb.tsx', { eager: true })` (default export), by lab id. */
export function discoverThumbs(thumbs: Record<string, unknown>): Map<string, ComponentType> {
  const out = new Map<string, ComponentType>();
  for (const [path, mod] of Object.entries(thumbs)) {
    const Thumb = (mod as { default?: unknown } | null)?.default;
    if (typeof Thumb === 'function') out.set(folderOf(path), Thumb as ComponentType);
  }
  return out;
}
