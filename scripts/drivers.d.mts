// Types for scripts/drivers.mjs (imported by vite.config.ts).
export interface ProbedAdapter {
  vendor: string;
  architecture: string;
  description: string;
  subgroupMinSize: number | null;
  subgroupMaxSize: number | null;
  features: string[];
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupStorageSize: number;
}
export type Probe = { ok: true; info: ProbedAdapter } | { ok: false; why: string };
export const SWIFTSHADER_ICD: string;
export const LAVAPIPE_ICDS: string[];
export function lavapipeIcd(): string | null;
export function probeAdapter(icd: string | null): Probe;
export function lavapipe(): { ok: true; icd: string; info: ProbedAdapter } | { ok: false; icd?: string; why: string };
export function adapterLabel(info: ProbedAdapter): string;
