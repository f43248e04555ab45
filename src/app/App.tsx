import { useEffect } from 'react';
import { LABS } from '../labs/registry';
import { DeviceBadge } from './DeviceBadge';
import { getRuntime } from './gpuService';
import { Home } from './Home';
import { LabPage } from './LabPage';
import { navigate } from './router';
import { useRoute } from './route';
import { ScenarioPanel } from './ScenarioPanel';
import { Toasts } from './Toasts';

export function App() {
  const { entry, scenario, state, notices } = useRoute();
  useEffect(() => {
    void getRuntime();
  }, []);
  return (
    <div className="shell">
      <header className="top">
        <a
          className="brand"
          href="./"
          onClick={(e) => {
            e.preventDefault();
            navigate('?');
          }}
        >
          GPU Playground
        </a>
        <DeviceBadge />
      </header>
      <nav className="side" aria-label="Labs">
        <ul>
          <li>
            <a href="?" aria-current={!entry ? 'page' : undefined} onClick={(e) => (e.preventDefault(), navigate('?'))}>
              Home
            </a>
          </li>
          {LABS.map((l) => (
            <li key={l.id}>
              <a href={`?lab=${l.id}`} aria-current={entry?.id === l.id ? 'page' : undefined} onClick={(e) => (e.preventDefault(), navigate(`?lab=${l.id}`))}>
                {l.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {notices.length ? (
          <div className="notice" role="status" data-testid="route-notices">
            {notices.map((n) => (
              <p key={n}>{n}</p>
            ))}
          </div>
        ) : null}
        {scenario && state ? <ScenarioPanel scenario={scenario} state={state} /> : null}
        {entry ? <LabPage key={entry.id} entry={entry} /> : <Home />}
      </main>
      <Toasts />
    </div>
  );
}
