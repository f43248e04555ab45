import * as Comlink from 'comlink';
import type { DataloaderWorkerApi, LoadedBatch } from './pipeline/protocol';
import { now } from './pipeline/protocol';
import type { SourceFile, SourceSpec } from './pipeline/source';
import type { TaskShardSpec } from './pipeline/taskShards';

/** One running worker as the pool sees it: a message endpoint, a crash signal and a kill switch. */
export interface WorkerHandle {
  endpoint: Comlink.Endpoint;
  /** Calls back once if the worker dies (uncaught error, thread exit) before terminate(). */
  onCrash(cb: (reason: string) => void): void;
  terminate(): void;
}

/** Makes a worker for a slot: Web Workers in the browser, worker_threads in Node tests and bench. */
export type WorkerFactory = (slot: number) => WorkerHandle;

export interface PoolEvents {
  /** Worker `slot` finished a batch: its busy span, on the shared clock. */
  onLoad?(slot: number, batch: LoadedBatch): void;
  onStartup?(slot: number, t0: number, t1: number): void;
  /** Batches ready and not yet taken by the consumer. */
  onQueue?(depth: number, t: number): void;
  onCrash?(slot: number, reason: string, reissued: number[]): void;
}

export interface PoolOptions extends PoolEvents {
  factory: WorkerFactory;
  numWorkers: number;
  prefetchFactor: number;
  /**
   * The dataset every worker opens: file bytes (each worker gets its own copy, as each process
   * reads the file), or a spec from which each worker writes its copy itself.
   */
  source: SourceFile | SourceSpec | TaskShardSpec;
  batchSize: number;
  augment: number;
  /** Batches whose first issue makes their worker crash (tests and the demo button). */
  crashOn?: Iterable<number>;
}

interface Slot {
  handle: WorkerHandle;
  api: Comlink.Remote<DataloaderWorkerApi>;
  /** Bumped on every restart: answers from an older incarnation are ignored. */
  gen: number;
  /** Batches issued to this worker and not yet answered, id → index in epoch. */
  inflight: Map<number, number>;
  started: Promise<void>;
}

/**
 * A pool of data-loading workers with PyTorch's DataLoader semantics: batch i goes to worker
 * i mod n, each worker has at most prefetch_factor batches outstanding, and the consumer gets
 * batches strictly in order. A crashed worker is replaced and its unanswered batches re-issued to
 * the replacement; a batch id is delivered exactly once (late or duplicate answers are dropped).
 */
export class WorkerPool {
  private slots: (Slot | null)[] = [];
  private ready = new Map<number, LoadedBatch>();
  private delivered = new Set<number>();
  private crashOn: Set<number>;
  private crashed = new Set<number>();
  private crashSlots = new Set<number>();
  private waiter: { id: number; resolve(b: LoadedBatch): void; reject(e: unknown): void } | null = null;
  private epoch = { first: 0, count: 0, next: 0, issued: 0 };
  private stopped = false;
  private failure: Error | null = null;
  crashes = 0;
  reissued = 0;
  duplicatesDropped = 0;

  constructor(private opts: PoolOptions) {
    if (!(opts.numWorkers >= 1))
      throw new Error('WorkerPool needs at least one worker; num_workers 0 loads on the main thread.');
    if (!(opts.prefetchFactor >= 1)) throw new Error('prefetch_factor must be at least 1.');
    this.crashOn = new Set(opts.crashOn ?? []);
  }

  get size(): number {
    return this.opts.numWorkers;
  }

  /** Starts every worker (spawn + open the source) in parallel; resolves when all are ready. */
  async spawn(): Promise<void> {
    this.assertLive();
    for (let s = 0; s < this.opts.numWorkers; s++) if (!this.slots[s]) this.slots[s] = this.startSlot(s, 0);
    // A worker that dies while starting is replaced; wait for the replacements too.
    for (;;) {
      const current = [...this.slots];
      await Promise.all(current.map((s) => s?.started));
      this.assertLive();
      if (current.every((s, i) => this.slots[i] === s)) return;
    }
  }

  private startSlot(slot: number, gen: number): Slot {
    const t0 = now();
    const handle = this.opts.factory(slot);
    const api = Comlink.wrap<DataloaderWorkerApi>(handle.endpoint);
    const s: Slot = { handle, api, gen, inflight: new Map(), started: Promise.resolve() };
    let died: () => void = () => {};
    const death = new Promise<void>((r) => (died = r));
    const init = Promise.resolve(api.init(this.opts.source)).then(
      () => {
        if (this.slots[slot] === s && !this.stopped) this.opts.onStartup?.(slot, t0, now());
      },
      (e) => {
        if (this.slots[slot] === s) this.fail(e);
      },
    );
    s.started = Promise.race([init, death]);
    handle.onCrash((reason) => {
      died();
      this.handleCrash(slot, s, reason);
    });
    return s;
  }

  /** Begins an epoch of `count` batches with global ids first..first+count-1 and fills the prefetch window. */
  beginEpoch(first: number, count: number): void {
    this.assertLive();
    this.epoch = { first, count, next: 0, issued: 0 };
    const window = Math.min(count, this.opts.numWorkers * this.opts.prefetchFactor);
    for (let i = 0; i < window; i++) this.issue(i);
  }

  private issue(index: number): void {
    const id = this.epoch.first + index;
    const slotNo = index % this.opts.numWorkers;
    this.epoch.issued = Math.max(this.epoch.issued, index + 1);
    this.send(slotNo, id, index);
  }

  private send(slotNo: number, id: number, index: number): void {
    const slot = this.slots[slotNo];
    if (!slot) throw new Error(`worker ${slotNo} is not running`);
    slot.inflight.set(id, index);
    const crash = (this.crashOn.has(id) && !this.crashed.has(id)) || this.crashSlots.delete(slotNo);
    if (crash) this.crashed.add(id);
    const gen = slot.gen;
    slot.api.load({ id, index, batchSize: this.opts.batchSize, augment: this.opts.augment, crash }).then(
      (b) => {
        if (this.stopped || this.slots[slotNo] !== slot || slot.gen !== gen || !slot.inflight.delete(id)) return;
        this.accept(slotNo, b);
      },
      (e) => {
        if (!this.stopped && this.slots[slotNo] === slot) this.fail(e);
      },
    );
  }

  private accept(slot: number, b: LoadedBatch): void {
    if (this.delivered.has(b.id) || this.ready.has(b.id)) {
      this.duplicatesDropped++;
      return;
    }
    this.opts.onLoad?.(slot, b);
    if (this.waiter && this.waiter.id === b.id) {
      const w = this.waiter;
      this.waiter = null;
      this.take(b);
      w.resolve(b);
    } else {
      this.ready.set(b.id, b);
      this.opts.onQueue?.(this.ready.size, now());
    }
  }

  /** The consumer took batch b: it is delivered, and its prefetch slot goes to batch index + n·prefetch. */
  private take(b: LoadedBatch): void {
    this.delivered.add(b.id);
    this.epoch.next++;
    this.opts.onQueue?.(this.ready.size, now());
    const nextIndex = b.id - this.epoch.first + this.opts.numWorkers * this.opts.prefetchFactor;
    if (nextIndex < this.epoch.count && nextIndex >= this.epoch.issued) this.issue(nextIndex);
  }

  /** The next batch of the epoch, in order; waits while it is still being loaded. */
  next(): Promise<LoadedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.stopped) return Promise.reject(new DOMException('The data loader was stopped', 'AbortError'));
    if (this.epoch.next >= this.epoch.count)
      return Promise.reject(new Error('The epoch is exhausted; call beginEpoch first.'));
    if (this.waiter) return Promise.reject(new Error('next() called again before the previous batch arrived.'));
    const id = this.epoch.first + this.epoch.next;
    const b = this.ready.get(id);
    if (b) {
      this.ready.delete(id);
      this.take(b);
      return Promise.resolve(b);
    }
    return new Promise((resolve, reject) => {
      this.waiter = { id, resolve, reject };
    });
  }

  private handleCrash(slotNo: number, dead: Slot, reason: string): void {
    if (this.stopped || this.slots[slotNo] !== dead) return;
    this.crashes++;
    dead.handle.terminate();
    const pending = [...dead.inflight.entries()].sort((a, b) => a[0] - b[0]);
    const fresh = this.startSlot(slotNo, dead.gen + 1);
    this.slots[slotNo] = fresh;
    // Requests queue behind init() in the new worker, so they can be sent at once.
    for (const [id, index] of pending) {
      if (this.delivered.has(id) || this.ready.has(id)) continue;
      this.reissued++;
      this.send(slotNo, id, index);
    }
    this.opts.onCrash?.(
      slotNo,
      reason,
      pending.map(([id]) => id),
    );
  }

  /** Asks worker `slot` to die on the next batch sent to it, as a real crash would (the demo button). */
  crashWorker(slotNo: number): boolean {
    if (this.stopped || slotNo < 0 || slotNo >= this.opts.numWorkers) return false;
    this.crashSlots.add(slotNo);
    return true;
  }

  /** Ends workers between epochs (persistent_workers off); the next spawn() starts new ones. */
  shutdownWorkers(): void {
    for (const s of this.slots) s?.handle.terminate();
    this.slots = [];
    this.ready.clear();
  }

  /** Stops everything: terminates all workers and rejects a waiting next(). Safe to call twice. */
  stop(reason: unknown = new DOMException('The data loader was stopped', 'AbortError')): void {
    if (this.stopped) return;
    this.stopped = true;
    this.shutdownWorkers();
    const w = this.waiter;
    this.waiter = null;
    w?.reject(reason);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private fail(e: unknown): void {
    this.failure = e instanceof Error ? e : new Error(String(e));
    const w = this.waiter;
    this.waiter = null;
    w?.reject(this.failure);
    this.stop(this.failure);
  }

  private assertLive(): void {
    if (this.stopped) throw new DOMException('The data loader was stopped', 'AbortError');
  }
}
