import { workerHandle } from './handle';
import type { WorkerFactory } from './pool';

/**
 * Web Worker factory for mini-cluster ranks (same WorkerHandle contract as the data loader's
 * pool). A crash is the worker's `error` event, marked handled so the page treats it as a rank
 * failure, not as a page error. terminate() is the "kill rank" button: it reports nothing, so the
 * job must notice the loss itself (watchdog + heartbeat), as a real cluster must.
 */
export const clusterWorkerFactory: WorkerFactory = (slot: number) =>
  workerHandle(
    new Worker(new URL('./cluster.worker.ts', import.meta.url), { type: 'module', name: `cluster-rank-${slot}` }),
  );
