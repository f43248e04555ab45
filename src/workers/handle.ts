import type { WorkerHandle } from './pool';

/**
 * A browser Worker as a pool's WorkerHandle. A crash shows up as the worker's `error` event (an
 * uncaught exception) or an undecodable message; the event is marked handled so the page treats it
 * as a recovered failure, not as a page error, and it is reported once. terminate() reports
 * nothing: the caller chose it. Each factory still writes its own `new Worker(new URL(...))`,
 * since Vite finds worker entry points only in that literal form.
 */
export function workerHandle(worker: Worker): WorkerHandle {
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
}
