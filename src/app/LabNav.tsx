import type { ReactNode } from 'react';
import type { LabEntry } from '../labs/registry';
import { navigate } from './router';

/** The side navigation: Home, then every discovered lab in `meta.order`, then the shell's own pages (`children`, as <li>s). */
export function LabNav({ labs, current, children }: { labs: readonly LabEntry[]; current: string | null; children?: ReactNode }) {
  return (
    <nav className="side" aria-label="Labs">
      <ul>
        <li>
          <a href="?" aria-current={current === null ? 'page' : undefined} onClick={(e) => (e.preventDefault(), navigate('?'))}>
            Home
          </a>
        </li>
        {labs.map((l) => (
          <li key={l.id}>
            <a href={`?lab=${l.id}`} aria-current={current === l.id ? 'page' : undefined} onClick={(e) => (e.preventDefault(), navigate(`?lab=${l.id}`))}>
              {l.title}
            </a>
          </li>
        ))}
        {children}
      </ul>
    </nav>
  );
}
