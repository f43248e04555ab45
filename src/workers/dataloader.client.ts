import { workerHandle } from './handle';
import type { WorkerFactory } from './pool';

/**
 * Web Worker factory for the pool. A crash shows up as the worker's `error` event (an uncaught
 * exception); the event is marked handled so the page treats it as recovered, not as a page error.
 */
export const browserWorkerFactory: WorkerFactory = (slot: number) =>
  workerHandle(
    new Worker(new URL('./dataloader.worker.ts', import.meta.url), { type: 'module', name: `dataloader-${slot}` }),
  );

export function hardwareThreads(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0;
  return Number.isFinite(n) && n > 0 ? n : 4;
}
