import type { StateCreator } from 'zustand';
import type { ParamNotice, ParamValues } from '../labkit/schema';
import type { AppState } from './index';

export interface ParamsSlice {
  /** Validated parameters per lab id; only values that passed the lab's schema land here. */
  params: Record<string, ParamValues>;
  notices: Record<string, ParamNotice[]>;
  setLabParams(labId: string, values: ParamValues, notices?: ParamNotice[]): void;
  dismissNotices(labId: string): void;
}

export const createParamsSlice: StateCreator<AppState, [], [], ParamsSlice> = (set) => ({
  params: {},
  notices: {},
  setLabParams: (labId, values, notices) =>
    set((s) => ({
      params: { ...s.params, [labId]: values },
      notices: notices ? { ...s.notices, [labId]: notices } : s.notices,
    })),
  dismissNotices: (labId) => set((s) => ({ notices: { ...s.notices, [labId]: [] } })),
});
