/**
 * Where the mini-cluster's checkpoints go: one small interface, IndexedDB in the browser (real
 * persistent storage, survives a reload) and an in-memory store for Node tests (with an optional
 * quota, so the "storage full" path is tested too).
 */
import type { TrainConfig } from '../sim/cluster/training';

export interface Checkpoint {
  /** Which job (one store can hold several). */
  job: string;
  cfg: TrainConfig;
  /** Steps completed: the next global batch to train on. */
  step: number;
  /** Samples consumed so far (step × global batch): the data position, independent of rank count. */
  dataPosition: number;
  /** World size that wrote it (a restart may use another). */
  world: number;
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  savedAt: number;
}

export interface CheckpointStore {
  /** Where the bytes go, in words ("IndexedDB (this browser)"). */
  readonly where: string;
  save(c: Checkpoint): Promise<void>;
  /** The latest checkpoint of a job, or null. */
  load(job: string): Promise<Checkpoint | null>;
  clear(job: string): Promise<void>;
}

export function checkpointBytes(c: Pick<Checkpoint, 'params' | 'm' | 'v'>): number {
  return c.params.byteLength + c.m.byteLength + c.v.byteLength + 64;
}

/** Thrown when storage refuses a write because it is full; the message says what to do. */
export class CheckpointQuotaError extends Error {
  constructor(bytes: number, where: string) {
    super(
      `Checkpoint not saved: ${where} is full (the browser refused ${bytes.toLocaleString('en-US')} bytes: QuotaExceededError). Training goes on; a failure now rolls back to the last checkpoint that was saved. Free site storage (browser settings → site data) or checkpoint less often.`,
    );
    this.name = 'CheckpointQuotaError';
  }
}

function isQuota(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'name' in e && (e as { name: string }).name === 'QuotaExceededError';
}

const copy = (c: Checkpoint): Checkpoint => ({
  ...c,
  cfg: { ...c.cfg },
  params: c.params.slice(),
  m: c.m.slice(),
  v: c.v.slice(),
});

/** In-memory store: a copy per save (as real storage would hold), an optional byte quota. */
export function memoryStore(opts: { quotaBytes?: number } = {}): CheckpointStore & { saves: number } {
  const jobs = new Map<string, Checkpoint>();
  const store = {
    where: 'memory (test store)',
    saves: 0,
    async save(c: Checkpoint) {
      const bytes = checkpointBytes(c);
      if (opts.quotaBytes !== undefined && bytes > opts.quotaBytes) throw new CheckpointQuotaError(bytes, store.where);
      jobs.set(c.job, copy(c));
      store.saves++;
    },
    async load(job: string) {
      const c = jobs.get(job);
      return c ? copy(c) : null;
    },
    async clear(job: string) {
      jobs.delete(job);
    },
  };
  return store;
}

const DB = 'gpu-playground-cluster';
const STORE = 'checkpoints';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** IndexedDB store: one record per job (the latest checkpoint), written in one transaction. */
export function indexedDbStore(dbName = DB): CheckpointStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = () =>
    (db ??= new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined')
        return reject(new Error('This browser has no IndexedDB (private mode?); checkpoints cannot be stored.'));
      const r = indexedDB.open(dbName, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'job' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB could not be opened'));
      r.onblocked = () =>
        reject(new Error('IndexedDB is blocked by another tab of this site; close it and try again.'));
    }));
  const where = 'IndexedDB (this browser)';
  return {
    where,
    async save(c) {
      const d = await open();
      await new Promise<void>((resolve, reject) => {
        const tx = d.transaction(STORE, 'readwrite');
        tx.objectStore(STORE).put(c);
        tx.oncomplete = () => resolve();
        const fail = () =>
          reject(
            isQuota(tx.error)
              ? new CheckpointQuotaError(checkpointBytes(c), where)
              : (tx.error ?? new Error('checkpoint write aborted')),
          );
        tx.onerror = fail;
        tx.onabort = fail;
      });
    },
    async load(job) {
      const d = await open();
      const c = await request<Checkpoint | undefined>(d.transaction(STORE, 'readonly').objectStore(STORE).get(job));
      return c ?? null;
    },
    async clear(job) {
      const d = await open();
      await request(d.transaction(STORE, 'readwrite').objectStore(STORE).delete(job));
    },
  };
}
