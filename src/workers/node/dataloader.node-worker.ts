// The same worker half as dataloader.worker.ts, for Node's worker_threads (tests and the bench).
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { createWorkerApi } from '../pipeline/workerApi';

if (!parentPort) throw new Error('dataloader.node-worker must run in a worker thread');
Comlink.expose(createWorkerApi(Comlink.transfer), nodeEndpoint(parentPort));
