import type { StateCreator } from 'zustand';
import type { RooflinePoint } from '../labkit/contract';
import type { AppState } from './index';

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
