import { lazy, Suspense, useEffect } from 'react';
import { LABS } from '../labs/registry';
import { DeviceBadge } from './DeviceBadge';
import { getRuntime } from './gpuService';
import { Home } from './Home';
import { LabNav } from './LabNav';
import { LabPage } from './LabPage';
import { navigate, useSearch } from './router';
import { useRoute } from './route';
import { ScenarioPanel } from './ScenarioPanel';
import { Toasts } from './Toasts';
import { findSession } from '../interview/sessions';
import { BoardPage } from './interview/BoardPage';
import { useBoard } from './interview/boardStore';
import { InterviewPage } from './interview/InterviewPage';
import './interview/interview.css';

// Check my GPU loads its kernels and references only when opened: they stay out of the first screen's bundle.
const SelfTestPage = lazy(() => import('./selftest/SelfTestPage').then((m) => ({ default: m.SelfTestPage })));

export function App() {
  const { entry, scenario, state, notices } = useRoute();
  // Interview mode's pages: ?board (the evidence board, or a shared one in #board=…) and ?interview=ID.
  const q = new URLSearchParams(useSearch());
  const onBoard = q.has('board');
  // "Check my GPU" (?selftest; a shared report in #report=…).
  const onSelfTest = q.has('selftest');
  const interviewId = q.get('interview');
  const session = findSession(interviewId);
  const pinned = useBoard((s) => s.board.items.length);
  useEffect(() => {
    void getRuntime();
  }, []);
  return (
    <div className="shell">
      {/* Keyboard users reach the lab's controls without tabbing through the whole navigation. */}
      <a
        className="skip-link"
        href={entry && !onBoard ? '#lab-controls' : '#content'}
        onClick={(e) => {
          e.preventDefault();
          document.getElementById(entry && !onBoard ? 'lab-controls' : 'content')?.focus();
        }}
      >
        {entry && !onBoard ? 'Skip to the lab’s controls' : 'Skip to the content'}
      </a>
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
      <LabNav
        labs={LABS}
        current={
          onBoard ? '?board' : onSelfTest ? '?selftest' : interviewId !== null ? '?interview' : (entry?.id ?? null)
        }
        pages={[
          { href: '?board', label: `Evidence board${pinned ? ` (${pinned})` : ''}`, testId: 'nav-board' },
          { href: '?selftest', label: 'Check my GPU', testId: 'nav-selftest' },
        ]}
      />
      <main className="content" id="content" tabIndex={-1}>
        {notices.length ? (
          <div className="notice" role="status" data-testid="route-notices">
            {notices.map((n) => (
              <p key={n}>{n}</p>
            ))}
          </div>
        ) : null}
        {scenario && state ? <ScenarioPanel scenario={scenario} state={state} /> : null}
        {onBoard ? (
          <BoardPage />
        ) : onSelfTest ? (
          <Suspense fallback={<p role="status">Loading the self-test…</p>}>
            <SelfTestPage />
          </Suspense>
        ) : session ? (
          <InterviewPage session={session} />
        ) : interviewId !== null ? (
          <div className="notice" role="status">
            There is no interview session called {JSON.stringify(interviewId.slice(0, 40))}.{' '}
            <a href="?">See the list on the home page.</a>
          </div>
        ) : entry ? (
          <LabPage key={entry.id} entry={entry} />
        ) : (
          <Home />
        )}
      </main>
      <Toasts />
    </div>
  );
}
