/// <reference lib="webworker" />
// The Train lab's worker behind Comlink: training off the main thread, so the page never freezes.
// All logic lives in trainSession.ts; checkpoints go to OPFS or IndexedDB, which workers can open too.
import * as Comlink from 'comlink';
import { browserSlots } from './checkpointStore';
import { browserWorkerFactory } from './dataloader.client';
import { createTrainSession } from './trainSession';

// Batches come from the dataloader lab's workers, started from this worker (nested workers).
Comlink.expose(createTrainSession(browserSlots(), undefined, browserWorkerFactory));
