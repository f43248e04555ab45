import { useEffect } from 'react';
import { LABS, findLab } from '../labs/registry';
import { defaults } from '../labs/schema';
import { parseUrl } from '../labs/url';
import { validateParams } from '../labs/validate';
import { appStore } from '../store';
import { DeviceBadge } from './DeviceBadge';
import { getRuntime } from './gpuService';
import { Home } from './Home';
import { LabPage } from './LabPage';
import { applyParams, paramsKey } from './labState';
import { navigate, useSearch } from './router';
import { Toasts } from './Toasts';

/** URL → store: the URL is the whole state of a lab; values missing from it are defaults. */
function useUrlState() {
  const search = useSearch();
  const url = parseUrl(search);
  const entry = findLab(url.lab);
  useEffect(() => {
    if (!entry) return;
    const fromUrl = validateParams(entry.schema, url.raw, defaults(entry.schema));
    const current = appStore.getState().params[entry.id];
    // Our own replaceState after a control change lands here too; it must not wipe the notices.
    if (current && paramsKey(current) === paramsKey(fromUrl.values) && !fromUrl.notices.length) return;
    applyParams(entry, url.raw, { base: defaults(entry.schema) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);
  return { url, entry };
}

export function App() {
  const { url, entry } = useUrlState();
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
        {url.lab && !entry ? (
          <p className="notice" role="status">
            There is no lab called {JSON.stringify(url.lab.slice(0, 32))}; showing the home page.
          </p>
        ) : null}
        {entry ? <LabPage key={entry.id} entry={entry} /> : <Home />}
      </main>
      <Toasts />
    </div>
  );
}
