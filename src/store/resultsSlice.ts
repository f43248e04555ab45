import type { StateCreator } from 'zustand';
import type { LabResult } from '../labkit/contract';
import type { AppState } from './index';

export interface ResultsSlice {
  results: Record<string, LabResult>;
  patchResult(labId: string, patch: Partial<LabResult>): void;
}

export const EMPTY_RESULT: LabResult = {
  status: 'idle',
  data: null,
  error: null,
  paramsKey: null,
  progress: 0,
  progressText: '',
};

export const createResultsSlice: StateCreator<AppState, [], [], ResultsSlice> = (set) => ({
  results: {},
  patchResult: (labId, patch) =>
    set((s) => ({ results: { ...s.results, [labId]: { ...(s.results[labId] ?? EMPTY_RESULT), ...patch } } })),
});

export interface JobsSlice {
  /** Auxiliary jobs (sweeps, comparisons) per lab id, then by job name: `props.jobs` of that lab's view. */
  jobs: Record<string, Record<string, LabResult>>;
  patchJob(labId: string, name: string, patch: Partial<LabResult>): void;
}

export const createJobsSlice: StateCreator<AppState, [], [], JobsSlice> = (set) => ({
  jobs: {},
  patchJob: (labId, name, patch) =>
    set((s) => {
      const lab = s.jobs[labId] ?? {};
      return { jobs: { ...s.jobs, [labId]: { ...lab, [name]: { ...(lab[name] ?? EMPTY_RESULT), ...patch } } } };
    }),
});
