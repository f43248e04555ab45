import type { StateCreator } from 'zustand';
import type { AppState } from './index';

export interface Toast {
  id: number;
  kind: 'info' | 'warning' | 'error';
  text: string;
}

export interface ToastSlice {
  toasts: Toast[];
  toast(kind: Toast['kind'], text: string): void;
  dismissToast(id: number): void;
}

let nextId = 1;

export const createToastSlice: StateCreator<AppState, [], [], ToastSlice> = (set) => ({
  toasts: [],
  toast: (kind, text) => set((s) => ({ toasts: [...s.toasts.slice(-4), { id: nextId++, kind, text }] })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
});
