import type { StateCreator } from 'zustand';
import type { AppState } from './index';

/** A measured kernel run, plotted on the roofline by any lab. */
export interface RooflinePoint {
  /** Stable per lab/kernel/variant/size, so a re-run replaces its point instead of adding one. */
  id: string;
  lab: string;
  kernel: string;
  variant: string;
  /** Problem size in words ("N = 16 M", "1024³"). */
  size: string;
  flops: number;
  bytes: number;
  ms: number;
  adapter: string;
}

export interface RooflineSlice {
  points: RooflinePoint[];
  addPoints(points: RooflinePoint[]): void;
  clearPoints(lab?: string): void;
}

export const createRooflineSlice: StateCreator<AppState, [], [], RooflineSlice> = (set) => ({
  points: [],
  addPoints: (pts) =>
    set((s) => {
      const ids = new Set(pts.map((p) => p.id));
      return { points: [...s.points.filter((p) => !ids.has(p.id)), ...pts] };
    }),
  clearPoints: (lab) => set((s) => ({ points: lab ? s.points.filter((p) => p.lab !== lab) : [] })),
});
