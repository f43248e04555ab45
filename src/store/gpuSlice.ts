import type { StateCreator } from 'zustand';
import type { GpuInfo } from '../gpu/device';
import type { UnavailableReason } from '../gpu/errors';
import type { Ceilings } from '../kernels/ceilings/ceilings';
import type { AppState } from './index';

export type GpuStatus = 'idle' | 'acquiring' | 'ready' | 'unavailable' | 'lost' | 'recovering';

export interface GpuSlice {
  gpuStatus: GpuStatus;
  gpuInfo: GpuInfo | null;
  gpuError: { reason: UnavailableReason | 'failed'; message: string } | null;
  /** Measured roofs of this device; null until the probe has run. */
  ceilings: Ceilings | null;
  ceilingsError: string | null;
  setGpu(patch: Partial<Pick<GpuSlice, 'gpuStatus' | 'gpuInfo' | 'gpuError' | 'ceilings' | 'ceilingsError'>>): void;
}

export const createGpuSlice: StateCreator<AppState, [], [], GpuSlice> = (set) => ({
  gpuStatus: 'idle',
  gpuInfo: null,
  gpuError: null,
  ceilings: null,
  ceilingsError: null,
  setGpu: (patch) => set(patch),
});
