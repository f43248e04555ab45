import * as Comlink from 'comlink';
import type { TrainSessionApi } from './trainSession';

export interface TrainWorker {
  api: Comlink.Remote<TrainSessionApi>;
  terminate(): void;
}

/** Starts the Train lab's worker (Vite finds worker entry points only in this literal form). */
export function startTrainWorker(): TrainWorker {
  const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'train' });
  return { api: Comlink.wrap<TrainSessionApi>(worker), terminate: () => worker.terminate() };
}

export { Comlink };
