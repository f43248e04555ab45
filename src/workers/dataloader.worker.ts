/// <reference lib="webworker" />
// The browser worker: the pipeline's worker half behind Comlink. All logic lives in pipeline/.
import * as Comlink from 'comlink';
import { createWorkerApi } from './pipeline/workerApi';

Comlink.expose(createWorkerApi(Comlink.transfer));
