import { errorMessage, isAbortError } from '../gpu/errors';
import type { LabRunContext } from '../labkit/contract';
import type { LabEntry } from '../labs/registry';
import { appStore } from '../store';
import { getRuntime } from './gpuService';

/**
 * Auxiliary jobs of a lab (a tile sweep, a peer comparison): each has its own slot in the store
 * (`jobs[lab][name]`, handed to the view as `props.jobs[name]`), progress and cancel. A new job of
 * the same name cancels the old one; leaving the lab cancels all of its jobs.
 */
const controllers = new Map<string, AbortController>();
const slot = (labId: string, name: string) => `${labId}\u0000${name}`;

export function runJob<T>(
  entry: LabEntry,
  name: string,
  job: (ctx: LabRunContext) => Promise<T>,
  opts: { key?: string } = {},
): Promise<void> {
  const id = slot(entry.id, name);
  controllers.get(id)?.abort(new DOMException('Replaced by a new run', 'AbortError'));
  const ctrl = new AbortController();
  controllers.set(id, ctrl);
  // Only the newest job of a name writes its slot, so a replaced one never overwrites it.
  const patch = (p: Parameters<ReturnType<typeof appStore.getState>['patchJob']>[2]) => {
    if (controllers.get(id) === ctrl) appStore.getState().patchJob(entry.id, name, p);
  };
  // The old result is cleared at the start, and a cancelled job leaves none: nothing partial is
  // ever shown as the answer.
  patch({
    status: 'running',
    data: null,
    error: null,
    progress: 0,
    progressText: 'starting',
    paramsKey: opts.key ?? null,
    replay: null,
  });
  return (async () => {
    try {
      const rt = entry.gpu === 'none' ? null : await getRuntime();
      const progress = (fraction: number, text = '') => patch({ progress: fraction, progressText: text });
      // Through the runtime, so a device lost mid-job is recovered and the job re-run on the new device.
      const data = rt
        ? await rt.run((r) => job({ runtime: r, signal: ctrl.signal, progress }), { label: `${entry.title}: ${name}` })
        : await job({ runtime: null, signal: ctrl.signal, progress });
      if (ctrl.signal.aborted) throw ctrl.signal.reason;
      patch({ status: 'done', data, progress: 1 });
    } catch (e) {
      if (isAbortError(e) || ctrl.signal.aborted) patch({ status: 'cancelled', data: null, progressText: 'cancelled' });
      else patch({ status: 'error', data: null, error: errorMessage(e) });
    } finally {
      if (controllers.get(id) === ctrl) controllers.delete(id);
    }
  })();
}

export function cancelJob(labId: string, name: string): void {
  controllers.get(slot(labId, name))?.abort(new DOMException('Cancelled by the user', 'AbortError'));
}

/** Leaving a lab stops its jobs: a sweep must not outlive the page showing it. */
export function cancelJobs(labId: string): void {
  for (const [id, ctrl] of controllers)
    if (id.startsWith(`${labId}\u0000`)) ctrl.abort(new DOMException('Left the lab', 'AbortError'));
}
