import { errorMessage, isAbortError } from '../gpu/errors';
import type { LabEntry } from '../labs/registry';
import type { ReplaySource } from '../labkit/contract';
import type { ParamValues } from '../labkit/schema';
import { appStore } from '../store';
import { getRuntime, setRunningLabel } from './gpuService';
import { runKey } from './labState';
import { isRecording } from './recorderHook';
import { labHasRecordings, recordedRun, replaySource } from './replay';
import { loadRecordedResult } from '../scenarios';
import { mergeReplay } from '../scenarios/replay';

const controllers = new Map<string, AbortController>();

/**
 * Runs a lab with its current parameters. A new run cancels the lab's previous one; a device loss
 * mid-run is recovered by the runtime, which re-runs the task on the new device.
 */
export async function runLab(entry: LabEntry): Promise<void> {
  const st = appStore.getState();
  const params = st.params[entry.id];
  if (!params) return;
  controllers.get(entry.id)?.abort();
  const ctrl = new AbortController();
  controllers.set(entry.id, ctrl);
  const key = runKey(params, entry.schema);
  const patch = (p: Parameters<typeof st.patchResult>[1]) => {
    if (controllers.get(entry.id) !== ctrl) return;
    appStore.getState().patchResult(entry.id, p);
    if (p.status === 'done') void publish(entry, p.data, params, p.replay ?? null);
  };
  patch({ status: 'running', error: null, progress: 0, progressText: '', replay: null, partial: false });
  try {
    const rt = entry.gpu === 'none' ? null : await getRuntime();
    // Without WebGPU, a scenario's recording of these exact parameters stands in for the GPU part.
    const recorded = !rt && entry.gpu !== 'none' && !isRecording() ? recordedRun(entry, params) : null;
    if (!rt && entry.gpu === 'required') {
      if (recorded)
        patch({
          status: 'done',
          data: await loadRecordedResult(recorded.scenario, recorded.runIndex),
          paramsKey: key,
          progress: 1,
          replay: replaySource(recorded, false),
        });
      else
        patch({
          status: 'error',
          error: labHasRecordings(entry.id)
            ? 'This lab runs real GPU kernels and needs WebGPU. Recorded results exist only for the scenarios’ own settings; these parameters were not recorded.'
            : 'This lab runs real GPU kernels and needs WebGPU.',
        });
      return;
    }
    const mod = await entry.load();
    const started = performance.now();
    const progress = (fraction: number, text = '') =>
      patch({ progress: fraction, progressText: withTimeLeft(text, fraction, performance.now() - started) });
    // A partial result is shown at once, measured with these parameters (not stale), still running;
    // its roofline points are published too, so the chart gains a point per finished size.
    const partial = (data: unknown) => {
      if (ctrl.signal.aborted) return;
      patch({ data, paramsKey: key, partial: true });
      if (controllers.get(entry.id) === ctrl) void publish(entry, data, params, null, { roofsToo: false });
    };
    setRunningLabel(entry.title);
    const data = rt
      ? await rt.run((r) => mod.run({ runtime: r, signal: ctrl.signal, progress, partial }, params), {
          label: entry.title,
        })
      : await mod.run({ runtime: null, signal: ctrl.signal, progress, partial }, params);
    if (recorded)
      patch({
        status: 'done',
        data: mergeReplay(data, await loadRecordedResult(recorded.scenario, recorded.runIndex)),
        paramsKey: key,
        progress: 1,
        replay: replaySource(recorded, true),
      });
    else patch({ status: 'done', data, paramsKey: key, progress: 1, partial: false });
  } catch (e) {
    if (isAbortError(e) || ctrl.signal.aborted) patch({ status: 'cancelled', progressText: 'cancelled' });
    else patch({ status: 'error', error: errorMessage(e) });
  } finally {
    if (controllers.get(entry.id) === ctrl) {
      controllers.delete(entry.id);
      setRunningLabel(null);
    }
  }
}

/**
 * What a finished result contributes beyond its lab: roofline points (a re-run replaces points
 * with the same id) and, from the device lab, measured roofs that replace the startup probe's.
 * Modules declare them (LabModule.roofline / ceilings); no view pushes them.
 */
async function publish(
  entry: LabEntry,
  data: unknown,
  params: ParamValues,
  replay: ReplaySource | null,
  opts = { roofsToo: true },
): Promise<void> {
  if (data === null || data === undefined) return;
  try {
    const mod = await entry.load();
    const st = appStore.getState();
    const points = mod.roofline?.(data, params, replay?.adapter ?? st.gpuInfo?.name ?? 'unknown adapter');
    if (points) {
      if (!mod.keepEarlierPoints) st.clearPoints(entry.id);
      st.addPoints(points);
    }
    // Roofs replayed from another adapter's recording are not this device's.
    const ceilings = replay || !opts.roofsToo ? null : mod.ceilings?.(data);
    if (ceilings) st.setGpu({ ceilings, ceilingsError: null });
    // Step costs measured here (not replayed from a recording) become the shared served-model costs.
    const measured =
      replay || !opts.roofsToo ? null : mod.measuredModel?.(data, st.gpuInfo?.name ?? 'no WebGPU adapter');
    if (measured) st.setMeasuredModel(measured);
  } catch (e) {
    appStore
      .getState()
      .toast('warning', `${entry.title}: its roofline points could not be computed (${errorMessage(e)}).`);
  }
}

/**
 * The progress text with an estimate of the time left, from the time so far and the fraction done
 * (linear: steps of one run take similar times). None before 5 % or a second, when it would be noise.
 */
export function withTimeLeft(text: string, fraction: number, elapsedMs: number): string {
  if (!(fraction >= 0.05 && fraction < 1) || elapsedMs < 1000) return text;
  const left = (elapsedMs * (1 - fraction)) / fraction / 1000;
  const words = left < 60 ? `about ${Math.max(1, Math.round(left))} s left` : `about ${Math.round(left / 60)} min left`;
  return text ? `${text} · ${words}` : words;
}

export function cancelLab(labId: string): void {
  controllers.get(labId)?.abort(new DOMException('Cancelled by the user', 'AbortError'));
}
