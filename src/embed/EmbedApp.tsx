import { Suspense, lazy, useEffect } from 'react';
import { getRuntime } from '../app/gpuService';
import { LabPage } from '../app/LabPage';
import { appUrl } from '../app/links';
import { useRoute } from '../app/route';
import { ScenarioPanel } from '../app/ScenarioPanel';
import { Toasts } from '../app/Toasts';
import { useApp } from '../store';
import { useEmbedMessaging } from './useEmbedMessaging';

// Loaded only for ?board, so lab embeds stay within their size budget.
const EmbedBoard = lazy(() => import('./EmbedBoard'));

/** One scenario (or one lab state) with minimal chrome, sized by its content for an iframe. */
export function EmbedApp() {
  const { entry, scenario, state, notices } = useRoute();
  const gpuStatus = useApp((s) => s.gpuStatus);
  const adapter = useApp((s) => s.gpuInfo?.name);
  useEffect(() => {
    void getRuntime();
  }, []);
  useEmbedMessaging(scenario);
  const isBoard = new URLSearchParams(window.location.search).has('board');
  return (
    <main className="embed">
      <header className="embed-head">
        <h1 className="embed-title">
          {isBoard ? 'Evidence board' : (scenario?.title ?? entry?.title ?? 'GPU Playground')}
        </h1>
        <span className="embed-device muted">
          {gpuStatus === 'unavailable' ? 'no WebGPU here' : adapter ? `on ${adapter}` : ''}
        </span>
        <a href={appUrl()} target="_blank" rel="noopener">
          Open in GPU Playground ↗
        </a>
      </header>
      {notices.length ? (
        <div className="notice" role="status" data-testid="route-notices">
          {notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      ) : null}
      {scenario && state ? <ScenarioPanel scenario={scenario} state={state} compact /> : null}
      {isBoard ? (
        <Suspense fallback={<p className="muted">Loading the board…</p>}>
          <EmbedBoard />
        </Suspense>
      ) : entry ? (
        <LabPage key={entry.id} entry={entry} variant="embed" />
      ) : (
        <p className="notice" role="status">
          This widget shows a scenario, a lab or a shared evidence board: use <code>embed.html?scenario=ID</code>,{' '}
          <code>embed.html?lab=ID</code> or <code>embed.html?board#board=…</code>.
        </p>
      )}
      <Toasts />
    </main>
  );
}
