import type { GptConfig } from '../model/config';
import type { AdditionTask } from '../model/task';
import { CheckpointError, crc32, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../model/train/checkpoint';
import type { TrainSpec } from '../model/train/hyper';

/**
 * Where the Train lab keeps its checkpoints, by run: each run (one model, task, schedule and seed)
 * has a name and two slots, the latest and the one before it, so a failed write (a full quota)
 * leaves the last good checkpoint in place and a corrupt latest one (checked by its CRC) falls
 * back to the previous. Runs of other configurations are kept side by side: changing a parameter
 * never deletes another run's checkpoints. The key–value backend is the origin private file
 * system (OPFS) where the browser offers it, IndexedDB otherwise (both in pages and workers), or a
 * Map in tests.
 *
 * This module is DOM-free (it touches navigator.storage and indexedDB only when asked to open
 * them), so the Serve lab and Node code import it as is:
 *   const slots = await browserSlots();
 *   const runs = await listSavedRuns(slots);          // name, step, model, bytes, newest first
 *   const ck = await loadSavedRun(slots, runs[0].name); // throws CheckpointStoreError by name
 */
export interface SlotBackend {
  /** Where the bytes live, for the page to say. */
  readonly kind: 'opfs' | 'indexeddb' | 'memory' | 'none';
  get(key: string): Promise<Uint8Array | undefined>;
  /** Writes the entries in order; each one whole or not at all (a failed write leaves the old value). */
  putAll(entries: Record<string, Uint8Array>): Promise<void>;
  keys(): Promise<string[]>;
  /** Removes the keys that start with `prefix` (every key when omitted). */
  clear(prefix?: string): Promise<void>;
}

export type StoreProblem = 'quota' | 'unavailable' | 'write' | 'missing' | 'corrupt';

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

/** Words for where checkpoints are kept (the lab's "Last checkpoint" row). */
export function storageWords(kind: SlotBackend['kind']): string {
  switch (kind) {
    case 'opfs':
      return 'the origin private file system (OPFS)';
    case 'indexeddb':
      return 'IndexedDB (this browser offers no OPFS here)';
    case 'memory':
      return 'memory (not kept across reloads)';
    default:
      return 'nowhere: this browser offers neither OPFS nor IndexedDB here';
  }
}

/**
 * A run's name: its shape in words and a hash of its whole spec, e.g. "L2-D32-H1-T16-B16-d2-s1-3fa2c1d0".
 * Same spec, same name, on every page and in every worker; made of [A-Za-z0-9-] (a safe file name).
 */
export function runName(spec: TrainSpec): string {
  const m = spec.model;
  const hash = crc32(new TextEncoder().encode(JSON.stringify(spec)))
    .toString(16)
    .padStart(8, '0');
  return `L${m.layers}-D${m.dModel}-H${m.heads}-T${m.context}-B${m.batch}-d${spec.task.digits}-s${spec.seed}-${hash}`;
}

const SLOTS = ['latest', 'previous'] as const;
const keyOf = (run: string, slot: (typeof SLOTS)[number]) => `${run}.${slot}`;

export class CheckpointStore {
  constructor(
    private readonly slots: SlotBackend,
    readonly run = 'default',
  ) {}

  get kind(): SlotBackend['kind'] {
    return this.slots.kind;
  }

  /** Saves as the latest; the previous latest becomes the fallback. Throws CheckpointStoreError, keeping both old slots. */
  async save(ck: Checkpoint): Promise<number> {
    const bytes = encodeCheckpoint(ck);
    const latest = await this.slots.get(keyOf(this.run, 'latest'));
    try {
      // The old latest is copied to previous first: if the new latest then fails, both hold the last good one.
      await this.slots.putAll(
        latest
          ? { [keyOf(this.run, 'previous')]: latest, [keyOf(this.run, 'latest')]: bytes }
          : { [keyOf(this.run, 'latest')]: bytes },
      );
    } catch (e) {
      if (e instanceof CheckpointStoreError) throw e;
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
    for (const slot of SLOTS) {
      const bytes = await this.slots.get(keyOf(this.run, slot));
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

  /** Forgets this run's checkpoints (other runs' are kept). */
  clear(): Promise<void> {
    return this.slots.clear(`${this.run}.`);
  }
}

/** A saved run as the Serve lab lists it. */
export interface SavedRun {
  name: string;
  step: number;
  model: GptConfig;
  task: AdditionTask;
  /** Parameters N (the file holds 3·N float32: weights and both AdamW moments). */
  parameters: number;
  /** The last held-out exact match it recorded, if it evaluated. */
  accuracy: number | null;
}

/** Every run with a usable checkpoint, newest step first (a run whose both slots are corrupt is left out). */
export async function listSavedRuns(slots: SlotBackend): Promise<SavedRun[]> {
  const runs = new Set<string>();
  for (const k of await slots.keys()) {
    const m = k.match(/^(.+)\.(latest|previous)$/);
    if (m) runs.add(m[1]);
  }
  const out: SavedRun[] = [];
  for (const name of runs) {
    const { checkpoint } = await new CheckpointStore(slots, name).load();
    if (!checkpoint) continue;
    out.push({
      name,
      step: checkpoint.step,
      model: checkpoint.spec.model,
      task: checkpoint.spec.task,
      parameters: checkpoint.state.params.length,
      accuracy: checkpoint.evals.at(-1)?.accuracy ?? null,
    });
  }
  return out.sort((a, b) => b.step - a.step || a.name.localeCompare(b.name));
}

/**
 * A saved run's newest usable checkpoint; when there is none, CheckpointStoreError naming why:
 * 'corrupt' when its slots hold bytes that fail their checks, 'missing' when it has none.
 */
export async function loadSavedRun(slots: SlotBackend, name: string): Promise<Checkpoint> {
  const { checkpoint, problems } = await new CheckpointStore(slots, name).load();
  if (checkpoint) return checkpoint;
  throw new CheckpointStoreError(
    problems.length ? 'corrupt' : 'missing',
    problems.length
      ? `No usable checkpoint of run "${name}": ${problems.join(' ')}`
      : `No checkpoint of run "${name}" is stored in ${storageWords(slots.kind)}.`,
  );
}

/** A Map as the slot backend (tests); `failWith` makes the next write throw that error. */
export function memorySlots(): SlotBackend & { map: Map<string, Uint8Array>; failWith: Error | null } {
  const map = new Map<string, Uint8Array>();
  const self = {
    kind: 'memory' as const,
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
    async keys() {
      return [...map.keys()];
    },
    async clear(prefix = '') {
      for (const k of [...map.keys()]) if (k.startsWith(prefix)) map.delete(k);
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
    kind: 'indexeddb',
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
    async keys() {
      const d = await open();
      return (await request(d.transaction(STORE, 'readonly').objectStore(STORE).getAllKeys())).map(String);
    },
    async clear(prefix = '') {
      const d = await open();
      const tx = d.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      for (const k of await request(store.getAllKeys())) if (String(k).startsWith(prefix)) store.delete(k);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error);
        tx.onerror = () => reject(tx.error);
      });
    },
  };
}

/** The parts of the File System API the OPFS backend uses (lib.dom types them; tests pass a fake). */
export interface OpfsDirectory {
  getFileHandle(
    name: string,
    o?: { create?: boolean },
  ): Promise<{
    getFile(): Promise<{ arrayBuffer(): Promise<ArrayBuffer> }>;
    createWritable(): Promise<{
      write(b: BufferSource): Promise<void>;
      close(): Promise<void>;
      abort(): Promise<void>;
    }>;
  }>;
  removeEntry(name: string): Promise<void>;
  keys(): AsyncIterable<string>;
}

const EXT = '.gptckpt';

/**
 * The origin private file system as the slot backend: one file per key (run.slot.gptckpt) in a
 * directory of its own. A file is written through createWritable(), which writes a swap file and
 * replaces the old one only on close(): a write that fails (a full quota) leaves the old file whole.
 */
export function opfsSlots(dir: OpfsDirectory): SlotBackend {
  const isMissing = (e: unknown) => (e as { name?: string })?.name === 'NotFoundError';
  return {
    kind: 'opfs',
    async get(key) {
      try {
        const f = await (await dir.getFileHandle(key + EXT)).getFile();
        return new Uint8Array(await f.arrayBuffer());
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async putAll(entries) {
      for (const [k, v] of Object.entries(entries)) {
        const w = await (await dir.getFileHandle(k + EXT, { create: true })).createWritable();
        try {
          await w.write(v as Uint8Array<ArrayBuffer>);
          await w.close();
        } catch (e) {
          await w.abort().catch(() => undefined);
          throw e;
        }
      }
    },
    async keys() {
      const out: string[] = [];
      for await (const name of dir.keys()) if (name.endsWith(EXT)) out.push(name.slice(0, -EXT.length));
      return out;
    },
    async clear(prefix = '') {
      for (const k of await this.keys()) if (k.startsWith(prefix)) await dir.removeEntry(k + EXT);
    },
  };
}

/** A backend whose every use names why nothing can be kept. */
function noSlots(why: string): SlotBackend {
  const fail = async (): Promise<never> => {
    throw new CheckpointStoreError('unavailable', why);
  };
  return { kind: 'none', get: fail, putAll: fail, keys: fail, clear: fail };
}

/**
 * The browser's best place for checkpoints: OPFS where navigator.storage.getDirectory() opens and
 * files can be written (createWritable), IndexedDB otherwise. Never throws: with neither, a
 * backend that names the problem on use.
 */
export async function browserSlots(dirName = 'gpu-playground-train'): Promise<SlotBackend> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (storage && typeof storage.getDirectory === 'function') {
    try {
      const root = await storage.getDirectory();
      const dir = await root.getDirectoryHandle(dirName, { create: true });
      const probe = await dir.getFileHandle('.probe', { create: true });
      if (typeof probe.createWritable === 'function') {
        await dir.removeEntry('.probe');
        return opfsSlots(dir as unknown as OpfsDirectory);
      }
      await dir.removeEntry('.probe');
    } catch {
      // OPFS refused (a private window, a policy): fall through to IndexedDB.
    }
  }
  try {
    return idbSlots();
  } catch (e) {
    return noSlots((e as Error).message);
  }
}
