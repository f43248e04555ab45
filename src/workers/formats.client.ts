import * as Comlink from 'comlink';
import { formatsWorkerApi, type FormatsWorkerApi } from './formats/api';

const abortError = () => new DOMException('Cancelled', 'AbortError');

/**
 * Runs `job` against the formats API in a fresh Web Worker (ended when the job settles or the
 * signal aborts, so a cancelled measurement stops at once); where there is no Worker (Node tests,
 * the bench) it runs in this thread.
 */
export async function withFormatsWorker<T>(
  signal: AbortSignal,
  job: (api: FormatsWorkerApi, proxy: <F extends object>(f: F) => F) => Promise<T>,
): Promise<T> {
  if (signal.aborted) throw abortError();
  if (typeof Worker === 'undefined') return job(formatsWorkerApi, (f) => f);
  const worker = new Worker(new URL('./formats.worker.ts', import.meta.url), { type: 'module', name: 'data-formats' });
  const api = Comlink.wrap<FormatsWorkerApi>(worker) as unknown as FormatsWorkerApi;
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(`The data-formats worker failed: ${e.message || 'unknown error'}`));
    });
  });
  try {
    return await Promise.race([job(api, (f) => Comlink.proxy(f)), aborted, crashed]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    worker.terminate();
  }
}
