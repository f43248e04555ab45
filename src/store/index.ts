import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { createGpuSlice, type GpuSlice } from './gpuSlice';
import { createMeasuredModelSlice, type MeasuredModelSlice } from './measuredModelSlice';
import { createParamsSlice, type ParamsSlice } from './paramsSlice';
import { createJobsSlice, createResultsSlice, type JobsSlice, type ResultsSlice } from './resultsSlice';
import { createRooflineSlice, type RooflineSlice } from './rooflineSlice';
import { createToastSlice, type ToastSlice } from './toastSlice';

export type AppState = GpuSlice &
  ParamsSlice &
  ResultsSlice &
  JobsSlice &
  RooflineSlice &
  ToastSlice &
  MeasuredModelSlice;

/** The one store, vanilla so lab runners and tests use it without React. */
export const appStore = createStore<AppState>()((...a) => ({
  ...createGpuSlice(...a),
  ...createParamsSlice(...a),
  ...createResultsSlice(...a),
  ...createJobsSlice(...a),
  ...createRooflineSlice(...a),
  ...createToastSlice(...a),
  ...createMeasuredModelSlice(...a),
}));

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}

export type { GpuStatus } from './gpuSlice';
export type { LabResult, ReplaySource, RooflinePoint, RunStatus } from '../labkit/contract';
export { EMPTY_RESULT } from './resultsSlice';
export type { Toast } from './toastSlice';
