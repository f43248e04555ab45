import { getRuntime } from '../../app/gpuService';
import { errorMessage, isAbortError } from '../../gpu/errors';
import { appStore } from '../../store';
import type { LabResult } from '../../store';
import type { ParamValues } from '../schema';
import { sweepTiles } from './sweep';

/** The sweep's slot in the store's results, beside the lab's own. */
export const SWEEP_ID = 'tiling/sweep';

/** The parameters a sweep depends on (tile M and N are what it varies). */
export function sweepKey(p: ParamValues): string {
  return JSON.stringify([p.M, p.N, p.K, p.variant, p.tileK, p.variant === 'tiled' ? 1 : p.block]);
}

let current: AbortController | null = null;

function patch(ctrl: AbortController, p: Partial<LabResult>): void {
  if (current === ctrl) appStore.getState().patchResult(SWEEP_ID, p);
}

/**
 * Runs a sweep with the lab's current parameters. The previous result is cleared when it starts,
 * and a cancelled sweep leaves no heatmap, so nothing partial is ever shown as the answer.
 */
export async function startSweep(params: ParamValues): Promise<void> {
  current?.abort(new DOMException('Replaced by a new sweep', 'AbortError'));
  const ctrl = new AbortController();
  current = ctrl;
  patch(ctrl, { status: 'running', data: null, error: null, progress: 0, progressText: 'starting', paramsKey: sweepKey(params) });
  try {
    const rt = await getRuntime();
    if (!rt) throw new Error('The sweep needs WebGPU.');
    const progress = (fraction: number, text = '') => patch(ctrl, { progress: fraction, progressText: text });
    const data = await rt.run((r) => sweepTiles({ runtime: r, signal: ctrl.signal, progress }, params), { label: 'tile sweep' });
    if (ctrl.signal.aborted) throw ctrl.signal.reason;
    patch(ctrl, { status: 'done', data, progress: 1 });
  } catch (e) {
    if (isAbortError(e) || ctrl.signal.aborted) patch(ctrl, { status: 'cancelled', data: null, progressText: 'cancelled' });
    else patch(ctrl, { status: 'error', data: null, error: errorMessage(e) });
  } finally {
    if (current === ctrl) current = null;
  }
}

export function cancelSweep(): void {
  current?.abort(new DOMException('Cancelled by the user', 'AbortError'));
}
