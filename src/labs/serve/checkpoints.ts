import { loadCheckpoint, type LoadedModel } from '../../model/serve/evaluate';

/**
 * The two shipped checkpoints (public/checkpoints/, made by `npm run train`, see the README),
 * fetched on demand when the lab first runs and kept for the page's lifetime.
 */
export const SHIPPED = { target: 'checkpoints/target.gptckpt', draft: 'checkpoints/draft.gptckpt' } as const;

export class CheckpointFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointFetchError';
  }
}

const cache = new Map<string, Promise<LoadedModel>>();

export function fetchCheckpoint(path: string, signal?: AbortSignal): Promise<LoadedModel> {
  let p = cache.get(path);
  if (!p) {
    p = (async () => {
      const url = `${import.meta.env.BASE_URL}${path}`;
      const res = await fetch(url, { signal });
      if (!res.ok) throw new CheckpointFetchError(`Could not load ${url}: HTTP ${res.status}.`);
      return loadCheckpoint(new Uint8Array(await res.arrayBuffer()));
    })();
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}
