import type { QueueSample, TraceSpan } from '../../sim/dataloader/types';
import type { WorkerPool } from '../../workers/pool';

/**
 * The live run's stream of spans for the view, outside the store: pushes are cheap array appends
 * and a version bump; the view reads them at most once per animation frame.
 */
export interface LiveState {
  running: boolean;
  lanes: string[];
  spans: TraceSpan[];
  queue: QueueSample[];
  done: number;
  total: number;
  utilization: number;
  samplesPerS: number;
  crashes: number;
  version: number;
}

const SPAN_CAP = 6000;

function empty(): LiveState {
  return {
    running: false,
    lanes: [],
    spans: [],
    queue: [],
    done: 0,
    total: 0,
    utilization: 0,
    samplesPerS: 0,
    crashes: 0,
    version: 0,
  };
}

let state = empty();
let pool: WorkerPool | null = null;
const listeners = new Set<() => void>();
const notify = () => {
  state.version++;
  for (const l of listeners) l();
};

export const liveFeed = {
  get: (): LiveState => state,
  subscribe(fn: () => void): () => void {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
  start(lanes: string[], total: number): void {
    state = { ...empty(), running: true, lanes, total, version: state.version + 1 };
    notify();
  },
  span(s: TraceSpan): void {
    if (state.spans.length < SPAN_CAP) state.spans.push(s);
    notify();
  },
  queue(depth: number, t: number): void {
    if (state.queue.length < SPAN_CAP) state.queue.push({ t, depth });
    notify();
  },
  step(done: number, utilization: number, samplesPerS: number): void {
    state.done = done;
    state.utilization = utilization;
    state.samplesPerS = samplesPerS;
    notify();
  },
  crash(): void {
    state.crashes++;
    notify();
  },
  finish(): void {
    state.running = false;
    pool = null;
    notify();
  },
  setPool(p: WorkerPool | null): void {
    pool = p;
  },
  /** The demo's "crash a worker" button: the worker dies on its next batch and the pool recovers. */
  crashWorker(slot: number): boolean {
    return pool?.crashWorker(slot) ?? false;
  },
};
