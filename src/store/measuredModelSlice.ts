import type { StateCreator } from 'zustand';
import { MeasuredCostError, validateMeasured, type MeasuredModelCost } from '../sim/serving/measured';
import type { AppState } from './index';

/**
 * The latest model step costs a lab measured (the Serve lab's target), shared with every view
 * through the shell (LabViewProps.measuredModel): the serving lab offers them as its cost model.
 * Kept in localStorage so a reload keeps them; forgetting removes them there too.
 */
export const MEASURED_MODEL_KEY = 'gpu-playground:measured-model';

export interface MeasuredModelSlice {
  measuredModel: MeasuredModelCost | null;
  setMeasuredModel(cost: MeasuredModelCost): void;
  forgetMeasuredModel(): void;
}

type KV = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function storage(): KV | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    // A sandboxed frame throws on touching localStorage: the costs then last for the page only.
    return null;
  }
}

/** The stored costs, or null when none are stored or what is stored fails its checks. */
export function loadMeasuredModel(kv: KV | null = storage()): MeasuredModelCost | null {
  const raw = kv?.getItem(MEASURED_MODEL_KEY);
  if (!raw) return null;
  try {
    return validateMeasured(JSON.parse(raw));
  } catch (e) {
    if (!(e instanceof MeasuredCostError) && !(e instanceof SyntaxError)) throw e;
    kv?.removeItem(MEASURED_MODEL_KEY);
    return null;
  }
}

export const createMeasuredModelSlice: StateCreator<AppState, [], [], MeasuredModelSlice> = (set) => ({
  measuredModel: loadMeasuredModel(),
  setMeasuredModel: (cost) => {
    try {
      storage()?.setItem(MEASURED_MODEL_KEY, JSON.stringify(cost));
    } catch {
      // A full quota keeps the costs for this page only; the serving lab still gets them.
    }
    set({ measuredModel: cost });
  },
  forgetMeasuredModel: () => {
    storage()?.removeItem(MEASURED_MODEL_KEY);
    set({ measuredModel: null });
  },
});
