import type { ReactNode } from 'react';
import type { LabEntry } from '../labs/registry';
import { navigate } from './router';

/** A page of the shell's own listed after the labs (the evidence board). */
export interface ShellPage {
  href: string;
  label: string;
  testId?: string;
}

/**
 * The navigation: Home, then every discovered lab in `meta.order`, then the shell's own pages.
 * Two forms of the same list, one shown by width (styles.css): the full list beside the page on a
 * desktop, and on a phone one line, a <select> of the same places, so that the lab and not the
 * list of labs owns the first screen (UI.md, "The first screen").
 */
export function LabNav({
  labs,
  current,
  pages = [],
}: {
  labs: readonly LabEntry[];
  current: string | null;
  pages?: readonly ShellPage[];
}) {
  const item = (href: string, label: ReactNode, here: boolean, testId?: string) => (
    <li key={href}>
      <a
        href={href}
        aria-current={here ? 'page' : undefined}
        onClick={(e) => (e.preventDefault(), navigate(href))}
        data-testid={testId}
      >
        {label}
      </a>
    </li>
  );
  const places = [
    { href: '?', label: 'Home' },
    ...labs.map((l) => ({ href: `?lab=${l.id}`, label: l.title })),
    ...pages,
  ];
  const here = current === null ? '?' : current.startsWith('?') ? current : `?lab=${current}`;
  const known = places.some((p) => p.href === here);
  return (
    <nav className="side" aria-label="Labs">
      <ul className="side-list">
        {item('?', 'Home', current === null)}
        {labs.map((l) => item(`?lab=${l.id}`, l.title, current === l.id))}
        {pages.map((p) => item(p.href, p.label, current === p.href, p.testId))}
      </ul>
      <label className="side-switch">
        <span className="side-switch-label">Go to</span>
        <select value={known ? here : ''} onChange={(e) => navigate(e.target.value)} data-testid="nav-switch">
          {/* A page outside the list (an interview session) still shows where the reader is. */}
          {known ? null : (
            <option value="" disabled>
              {current === '?interview' ? 'Interview session' : 'This page'}
            </option>
          )}
          {places.map((p) => (
            <option key={p.href} value={p.href}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
