import { parseTrace, type TraceRequest } from '../../sim/kvcache';

/**
 * The trace file the user dropped in. It lives here, outside the store and the URL (it can be
 * megabytes); run() reads it when the workload is 'trace'. A file that fails validation leaves the
 * previous trace in place.
 */
export interface LoadedTrace {
  name: string;
  requests: TraceRequest[];
}

let current: LoadedTrace | null = null;
const listeners = new Set<() => void>();

export function getTrace(): LoadedTrace | null {
  return current;
}

export function subscribeTrace(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Parses and keeps a trace; throws a TraceError (naming the line and field) and keeps the old one on bad input. */
export function loadTrace(name: string, text: string): LoadedTrace {
  const requests = parseTrace(text);
  current = { name, requests };
  for (const fn of listeners) fn();
  return current;
}
