/// <reference lib="webworker" />
// The data-formats lab's worker: writing and reading files (and the user's own file) off the page's thread.
import * as Comlink from 'comlink';
import { formatsWorkerApi } from './formats/api';

Comlink.expose(formatsWorkerApi);
