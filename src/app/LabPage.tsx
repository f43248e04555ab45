import { Suspense, lazy, useEffect, useMemo, useRef } from 'react';
import type { LabViewProps } from '../labkit/contract';
import type { LabEntry } from '../labs/registry';
import { useApp } from '../store';
import { ParamSections } from '../ui/ParamSections';
import { RunBar } from './components/RunBar';
import { applyParams, runKey, syncUrl, useLabNotices, useLabParams } from './labState';
import { cancelLab, runLab } from './labRunner';
import { cancelJobs } from './jobRunner';
import { useLabViewProps } from './labProps';
import { ErrorBoundary } from './ErrorBoundary';
import { NoWebGpu } from './NoWebGpu';
import { ReplayNote } from '../ui/ReplayNote';
import { recordedRun } from './replay';
import { PinContext } from '../ui/pin';
import { usePinForLab } from './interview/usePinForLab';
import { heavyNotice } from '../labkit/cost';
import { FullLabLink } from '../ui/embedMode';
import { appUrl } from './links';

const views = new Map<string, React.LazyExoticComponent<React.ComponentType<LabViewProps>>>();
function viewFor(entry: LabEntry) {
  let v = views.get(entry.id);
  if (!v) {
    v = lazy(async () => ({ default: (await entry.load()).View }));
    views.set(entry.id, v);
  }
  return v;
}

/** A lab: controls from its schema in the lab's groups, its picture and results, run on open and again on each change. */
export function LabPage({ entry, variant = 'page' }: { entry: LabEntry; variant?: 'page' | 'embed' }) {
  const values = useLabParams(entry.id);
  const notices = useLabNotices(entry.id);
  const gpuStatus = useApp((s) => s.gpuStatus);
  const gpuInfo = useApp((s) => s.gpuInfo);
  const View = viewFor(entry);
  const key = runKey(values, entry.schema);
  const firstRun = useRef(true);

  const props = useLabViewProps(entry, variant);
  // Tables and charts get a Pin button in the app; an embed has no board to pin to.
  const pin = usePinForLab(props);

  // Leaving a lab stops its run and its jobs: live workers and long sweeps must not outlive the page showing them.
  useEffect(
    () => () => {
      cancelLab(entry.id);
      cancelJobs(entry.id);
    },
    [entry.id],
  );

  // Re-clamp once the device is known: URL values may exceed this device's limits.
  useEffect(() => {
    if (gpuInfo && entry.clampToDevice) applyParams(entry, {}, { keepNotices: true });
  }, [gpuInfo, entry]);

  // Without WebGPU a lab stays open when a scenario recorded a run with exactly these values: it is replayed.
  const gpuBlocked = entry.gpu === 'required' && gpuStatus === 'unavailable' && !recordedRun(entry, values);
  // A setup far above the defaults (modelled cost, labkit/cost.ts) waits for the Run button.
  const heavy = Object.keys(values).length ? heavyNotice(entry, values) : null;
  const heavyWaiting = heavy !== null && props.result.paramsKey !== key;
  useEffect(() => {
    if (gpuBlocked || heavy || !Object.keys(values).length) return;
    const mode = entry.autoRun ?? 'change';
    if (mode === 'never' || (mode === 'open' && !firstRun.current)) return;
    // 'open' means one run when the lab opens: count it as done only once the timer fires. A clamp
    // to the device (which changes the key) cancels a pending timer, and the run must still start.
    const t = setTimeout(() => {
      firstRun.current = false;
      void runLab(entry);
    }, 250);
    return () => clearTimeout(t);
    // Re-run when the parameters change (debounced so slider drags coalesce).
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for the values, which are a new object on every store update
  }, [key, gpuBlocked, entry]);

  const noticeByKey = useMemo(() => new Map(notices.map((n) => [n.key, n])), [notices]);
  const unknown = notices.filter((n) => !entry.schema.some((s) => s.key === n.key));

  if (gpuBlocked) {
    return (
      <>
        {notices.length ? (
          <div className="notice" role="status">
            {notices.map((n) => (
              <p key={n.key}>{n.message}</p>
            ))}
          </div>
        ) : null}
        <NoWebGpu lab={entry.title} />
      </>
    );
  }
  const controls = (
    <ParamSections
      meta={entry}
      values={values}
      notices={noticeByKey}
      onChange={(key, raw) => {
        applyParams(entry, { [key]: raw }, { keepNotices: true });
        syncUrl(entry);
      }}
    />
  );
  return (
    <article className={`lab lab-${variant}`} data-lab={entry.id}>
      {variant === 'page' ? (
        <header className="lab-head">
          <h1>{entry.title}</h1>
          <p className="lab-summary">{entry.summary}</p>
        </header>
      ) : null}
      {unknown.length ? (
        <div className="notice" role="status">
          {unknown.map((n) => (
            <p key={n.key}>{n.message}</p>
          ))}
        </div>
      ) : null}
      <div className="lab-grid">
        <aside className="lab-controls" id="lab-controls" tabIndex={-1} aria-label="Parameters">
          <RunBar entry={entry} />
          {heavyWaiting ? (
            <p className="notice" role="status" data-testid="heavy-notice">
              {heavy}
            </p>
          ) : null}
          {/* An embed shows the key controls too (the rest of the groups start collapsed, as in the app). */}
          {controls}
        </aside>
        <div className="lab-main">
          <ReplayNote labId={entry.id} result={props.result} fallback />
          <ErrorBoundary>
            <Suspense fallback={<p className="muted">Loading the lab…</p>}>
              <PinContext.Provider value={variant === 'page' ? pin : null}>
                <FullLabLink.Provider value={variant === 'embed' ? appUrl() : null}>
                  <View {...props} />
                </FullLabLink.Provider>
              </PinContext.Provider>
            </Suspense>
          </ErrorBoundary>
        </div>
      </div>
    </article>
  );
}
