import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../model/train/checkpoint';

/**
 * Where the Train lab keeps its checkpoints: two slots, the latest and the one before it, written
 * in one atomic step, so a failed write (a full quota) leaves the last good checkpoint in place and
 * a corrupt latest one (checked by its CRC) falls back to the previous. The key–value backend is
 * IndexedDB in the page and the worker (idbSlots), or a Map in tests.
 */
export interface SlotBackend {
  get(key: string): Promise<Uint8Array | undefined>;
  /** Writes every entry or none. */
  putAll(entries: Record<string, Uint8Array>): Promise<void>;
  clear(): Promise<void>;
}

export type StoreProblem = 'quota' | 'unavailable' | 'write';

export class CheckpointStoreError extends Error {
  constructor(
    readonly problem: StoreProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CheckpointStoreError';
  }
}

export interface LoadResult {
  checkpoint: Checkpoint | null;
  /** Named problems with slots that could not be used (a corrupt latest, say). */
  problems: string[];
}

function isQuota(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

export class CheckpointStore {
  constructor(private readonly slots: SlotBackend) {}

  /** Saves as the latest; the previous latest becomes the fallback. Throws CheckpointStoreError, keeping both old slots. */
  async save(ck: Checkpoint): Promise<number> {
    const bytes = encodeCheckpoint(ck);
    const latest = await this.slots.get('latest');
    try {
      await this.slots.putAll(latest ? { latest: bytes, previous: latest } : { latest: bytes });
    } catch (e) {
      if (isQuota(e))
        throw new CheckpointStoreError(
          'quota',
          `Storage quota is full: the checkpoint at step ${ck.step} (${bytes.length} bytes) was not saved; the last good one is kept.`,
        );
      throw new CheckpointStoreError(
        'write',
        `Saving the checkpoint at step ${ck.step} failed (${(e as Error)?.message ?? String(e)}); the last good one is kept.`,
      );
    }
    return bytes.length;
  }

  /** The newest checkpoint that passes its checks, and why any newer one was skipped. */
  async load(): Promise<LoadResult> {
    const problems: string[] = [];
    for (const slot of ['latest', 'previous'] as const) {
      const bytes = await this.slots.get(slot);
      if (!bytes) continue;
      try {
        return { checkpoint: decodeCheckpoint(bytes), problems };
      } catch (e) {
        if (!(e instanceof CheckpointError)) throw e;
        problems.push(`The ${slot} checkpoint is unusable (${e.problem}): ${e.message}`);
      }
    }
    return { checkpoint: null, problems };
  }

  clear(): Promise<void> {
    return this.slots.clear();
  }
}

/** A Map as the slot backend (tests); `failWith` makes the next write throw that error. */
export function memorySlots(): SlotBackend & { map: Map<string, Uint8Array>; failWith: Error | null } {
  const map = new Map<string, Uint8Array>();
  const self = {
    map,
    failWith: null as Error | null,
    async get(k: string) {
      return map.get(k);
    },
    async putAll(entries: Record<string, Uint8Array>) {
      if (self.failWith) {
        const e = self.failWith;
        self.failWith = null;
        throw e;
      }
      for (const [k, v] of Object.entries(entries)) map.set(k, v.slice());
    },
    async clear() {
      map.clear();
    },
  };
  return self;
}

const DB = 'gpu-playground-train';
const STORE = 'checkpoints';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** IndexedDB as the slot backend (available in pages and workers alike). */
export function idbSlots(): SlotBackend {
  if (typeof indexedDB === 'undefined')
    throw new CheckpointStoreError(
      'unavailable',
      'This browser offers no IndexedDB here, so checkpoints cannot be kept.',
    );
  let db: Promise<IDBDatabase> | null = null;
  const open = () =>
    (db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () =>
        reject(
          new CheckpointStoreError(
            'unavailable',
            `IndexedDB could not be opened: ${r.error?.message ?? 'unknown error'}.`,
          ),
        );
    }));
  return {
    async get(key) {
      const d = await open();
      const v = await request(d.transaction(STORE, 'readonly').objectStore(STORE).get(key));
      return v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : undefined;
    },
    async putAll(entries) {
      const d = await open();
      const tx = d.transaction(STORE, 'readwrite');
      for (const [k, v] of Object.entries(entries)) tx.objectStore(STORE).put(v, k);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error);
        tx.onerror = () => reject(tx.error);
      });
    },
    async clear() {
      const d = await open();
      await request(d.transaction(STORE, 'readwrite').objectStore(STORE).clear());
    },
  };
}
