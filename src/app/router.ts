import { useSyncExternalStore } from 'react';

/** Location as state: labs and parameters live in the query string, so back/forward and links just work. */
const listeners = new Set<() => void>();

function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  window.addEventListener('popstate', cb);
  return () => {
    listeners.delete(cb);
    window.removeEventListener('popstate', cb);
  };
}

export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** push for navigation (back returns to it), replace for parameter edits while dragging a slider. */
export function navigate(search: string, mode: 'push' | 'replace' = 'push'): void {
  const url = `${window.location.pathname}${search}${window.location.hash}`;
  if (url === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
  for (const l of listeners) l();
}
