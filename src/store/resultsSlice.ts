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
