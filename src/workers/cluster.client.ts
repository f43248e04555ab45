import type { WorkerFactory, WorkerHandle } from './pool';

/**
 * Web Worker factory for mini-cluster ranks (same WorkerHandle contract as the data loader's
 * pool). A crash is the worker's `error` event, marked handled so the page treats it as a rank
 * failure, not as a page error. terminate() is the "kill rank" button: it reports nothing, so the
 * job must notice the loss itself (watchdog + heartbeat), as a real cluster must.
 */
export const clusterWorkerFactory: WorkerFactory = (slot: number): WorkerHandle => {
  const worker = new Worker(new URL('./cluster.worker.ts', import.meta.url), { type: 'module', name: `cluster-rank-${slot}` });
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
