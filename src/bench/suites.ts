import { discoverSuites, type SuiteEntry } from '../labkit/discover';

/**
 * Every lab's bench suite, found by folder (`src/labs/<id>/bench.ts`, export `suite`) in the labs'
 * navigation order; `--lab` takes the lab id. The metas are read only for their order; the
 * suites themselves (kernels, WGSL) load when selected.
 */
const metas = import.meta.glob<{ meta?: { id: string; order: number } }>('../labs/*/meta.ts', { eager: true });
const order = new Map(Object.values(metas).flatMap((m) => (m.meta ? [[m.meta.id, m.meta.order] as const] : [])));

export const SUITES: readonly SuiteEntry[] = discoverSuites(import.meta.glob('../labs/*/bench.ts'), order);
