import type { StateCreator } from 'zustand';
import type { AppState } from './index';

export type RunStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

export interface LabResult<T = unknown> {
  status: RunStatus;
  data: T | null;
  error: string | null;
  /** The parameters the data was measured with; a mismatch with the current ones marks it stale. */
  paramsKey: string | null;
  progress: number;
  progressText: string;
  /** Set when `data` was replayed from a scenario's recording because WebGPU is missing here. */
  replay?: ReplaySource | null;
}

export interface ReplaySource {
  /** The adapter the recording was measured on; every replayed view names it. */
  adapter: string;
  recordedAt: string;
  scenario: string;
  /** True when the simulation part ran live here and only the GPU part is replayed. */
  partial: boolean;
}

export interface ResultsSlice {
  results: Record<string, LabResult>;
  patchResult(labId: string, patch: Partial<LabResult>): void;
}

export const EMPTY_RESULT: LabResult = { status: 'idle', data: null, error: null, paramsKey: null, progress: 0, progressText: '' };

export const createResultsSlice: StateCreator<AppState, [], [], ResultsSlice> = (set) => ({
  results: {},
  patchResult: (labId, patch) => set((s) => ({ results: { ...s.results, [labId]: { ...(s.results[labId] ?? EMPTY_RESULT), ...patch } } })),
});
