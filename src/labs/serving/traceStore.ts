import type { TraceRequest } from '../../sim/kvcache/types';

/**
 * The trace file the user dropped, kept outside the URL (files are too big for one). The lab's run
 * reads it when arrivals are 'trace'; the name is shown so a result says which file it used.
 */
let current: { name: string; requests: TraceRequest[] } | null = null;
const listeners = new Set<() => void>();

export function setServingTrace(t: { name: string; requests: TraceRequest[] } | null): void {
  current = t;
  listeners.forEach((f) => f());
}

export function servingTrace(): { name: string; requests: TraceRequest[] } | null {
  return current;
}

export function onServingTrace(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
