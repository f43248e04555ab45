import type { WorkerFactory, WorkerHandle } from './pool';

/**
 * Web Worker factory for the pool. A crash shows up as the worker's `error` event (an uncaught
 * exception); the event is marked handled so the page treats it as recovered, not as a page error.
 */
export const browserWorkerFactory: WorkerFactory = (slot: number): WorkerHandle => {
  const worker = new Worker(new URL('./dataloader.worker.ts', import.meta.url), { type: 'module', name: `dataloader-${slot}` });
  let terminated = false;
  let listener: ((reason: string) => void) | null = null;
  const crash = (reason: string) => {
    if (terminated) return;
    terminated = true;
    listener?.(reason);
  };
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    crash(e.message || 'worker error');
  });
  worker.addEventListener('messageerror', () => crash('a message from the worker could not be decoded'));
  return {
    endpoint: worker,
    onCrash(cb) {
      listener = cb;
    },
    terminate() {
      terminated = true;
      worker.terminate();
    },
  };
};

export function hardwareThreads(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0;
  return Number.isFinite(n) && n > 0 ? n : 4;
}
