/**
 * Platform v1 names, kept as aliases of the v2 contract while labs move their imports to
 * `./contract` (the run files still import LabRunContext from here). New code imports contract.ts.
 */
export type { GpuNeed, LabMeta, LabModule, LabRunContext, LabViewProps } from './contract';
export type { LabEntry } from './discover';
