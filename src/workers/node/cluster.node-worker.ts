// The same rank as cluster.worker.ts, for Node's worker_threads (tests and the bench).
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { createRankApi } from '../clusterRank';

if (!parentPort) throw new Error('cluster.node-worker must run in a worker thread');
Comlink.expose(createRankApi(), nodeEndpoint(parentPort));
