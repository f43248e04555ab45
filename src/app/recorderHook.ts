import { LABS } from '../labs/registry';
import { appStore } from '../store';

/**
 * scripts/record-scenarios.mjs reads lab results (plain JSON by the lab contract) from a running
 * page. This exposes a read-only snapshot on `window.__gpuPlaygroundRecorder`, and only when both
 * hold: the URL has `record=1` and the browser is driven by automation (`navigator.webdriver`,
 * true under Playwright, false for people). Nothing can be written through it.
 */
export interface RecorderSnapshot {
  adapter: string | null;
  gpuStatus: string;
  labs: { id: string; gpu: string; autoRun: string }[];
  params: Record<string, unknown>;
  /** Per lab: values the page changed (device clamps), which a replay elsewhere would not reproduce. */
  notices: Record<string, { key: string; message: string }[]>;
  results: Record<string, { status: string; error: string | null; paramsKey: string | null; data: unknown }>;
}

/** True while scripts/record-scenarios.mjs drives this page: runs are then always live, never replayed. */
export function isRecording(): boolean {
  return (
    typeof window !== 'undefined' &&
    new URLSearchParams(window.location.search).get('record') === '1' &&
    Boolean(navigator.webdriver)
  );
}

export function installRecorderHook(): void {
  if (!isRecording()) return;
  const snapshot = (): RecorderSnapshot => {
    const s = appStore.getState();
    const info = s.gpuInfo;
    return JSON.parse(
      JSON.stringify({
        adapter: info ? [info.name, info.description].filter(Boolean).join(' — ') : null,
        gpuStatus: s.gpuStatus,
        labs: LABS.map((l) => ({ id: l.id, gpu: l.gpu, autoRun: l.autoRun ?? 'change' })),
        params: s.params,
        notices: s.notices,
        results: Object.fromEntries(
          Object.entries(s.results).map(([k, r]) => [
            k,
            { status: r.status, error: r.error, paramsKey: r.paramsKey, data: r.data },
          ]),
        ),
      }),
    );
  };
  Object.defineProperty(window, '__gpuPlaygroundRecorder', {
    value: Object.freeze({ snapshot }),
    configurable: false,
    writable: false,
  });
}
