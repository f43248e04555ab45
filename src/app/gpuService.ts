import { GpuUnavailableError, errorMessage } from '../gpu/errors';
import { GpuRuntime } from '../gpu/runtime';
import { QUICK_CEILINGS, measureCeilings } from '../kernels/ceilings/ceilings';
import { appStore } from '../store';

let runtimePromise: Promise<GpuRuntime | null> | null = null;
let running: string | null = null;

/** The app's one GPU runtime; null (with the reason in the store) where WebGPU is missing. */
export function getRuntime(): Promise<GpuRuntime | null> {
  if (!runtimePromise) runtimePromise = start();
  return runtimePromise;
}

/** Labs tell the service what is in flight, so a device loss can say what it re-runs. */
export function setRunningLabel(label: string | null): void {
  running = label;
}

async function start(): Promise<GpuRuntime | null> {
  const { setGpu, toast } = appStore.getState();
  setGpu({ gpuStatus: 'acquiring' });
  let rt: GpuRuntime;
  try {
    rt = await GpuRuntime.create({ label: 'gpu-playground' });
  } catch (e) {
    const reason = e instanceof GpuUnavailableError ? e.reason : 'failed';
    setGpu({ gpuStatus: 'unavailable', gpuError: { reason, message: errorMessage(e) } });
    return null;
  }
  setGpu({ gpuStatus: 'ready', gpuInfo: rt.info, gpuError: null });
  rt.device.addEventListener?.('uncapturederror', onUncaptured);
  rt.on((ev) => {
    if (ev.type === 'lost') {
      setGpu({ gpuStatus: 'recovering' });
      toast(
        'warning',
        `The GPU device was lost (${ev.reason}${ev.message ? `: ${ev.message}` : ''}). Acquiring a new one…`,
      );
    } else if (ev.type === 'recovered') {
      setGpu({ gpuStatus: 'ready', gpuInfo: ev.info });
      rt.device.addEventListener?.('uncapturederror', onUncaptured);
      toast('info', running ? `New GPU device ready; re-running ${running}.` : 'New GPU device ready.');
      void probeCeilings(rt);
    } else {
      setGpu({ gpuStatus: 'lost', gpuError: { reason: 'failed', message: ev.message } });
      toast('error', ev.message);
    }
  });
  void probeCeilings(rt);
  return rt;
}

function onUncaptured(e: Event): void {
  // Every error we expect is caught by an error scope; anything reaching here is still shown, never lost.
  const err = (e as GPUUncapturedErrorEvent).error;
  appStore.getState().toast('error', `Uncaught GPU error: ${err?.message ?? 'unknown'}`);
}

/** The header badge's numbers: a quick copy and FMA measurement at startup and after recovery. */
export async function probeCeilings(rt: GpuRuntime): Promise<void> {
  try {
    const ceilings = await rt.run((r) => measureCeilings(r, QUICK_CEILINGS, { samples: 5 }), { label: 'device probe' });
    // A full measurement from the device lab is better than the quick one; keep it.
    const current = appStore.getState().ceilings;
    if (!current || current.params === QUICK_CEILINGS) appStore.getState().setGpu({ ceilings, ceilingsError: null });
  } catch (e) {
    appStore.getState().setGpu({ ceilingsError: errorMessage(e) });
  }
}
