import { useEffect, useState } from 'react';
import { evaluateRubric, rubricScore } from '../../interview/rubric';
import { SESSIONS, type InterviewSession } from '../../interview/sessions';
import { navigate } from '../router';
import { boardStore, useBoard } from './boardStore';

function stateSearch(lab: string, params: Record<string, string | number | boolean>): string {
  return `?${new URLSearchParams({ lab, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) })}`;
}

/** An optional countdown: interviews are timed, practice need not be. */
function Timer({ minutes }: { minutes: number }) {
  const [left, setLeft] = useState(minutes * 60);
  const [running, setRunning] = useState(false);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(t);
  }, [running]);
  useEffect(() => {
    if (left === 0) setRunning(false);
  }, [left]);
  const mm = String(Math.floor(left / 60)).padStart(2, '0');
  const ss = String(left % 60).padStart(2, '0');
  return (
    <div className="interview-timer" role="timer" aria-label="Answer timer">
      <span className={left === 0 ? 'timer-done' : ''}>
        {mm}:{ss}
      </span>
      <button type="button" className="btn btn-small" onClick={() => setRunning(!running)} disabled={left === 0}>
        {running ? 'Pause' : 'Start timer'}
      </button>
      <button type="button" className="btn btn-small" onClick={() => (setRunning(false), setLeft(minutes * 60))}>
        Reset
      </button>
    </div>
  );
}

export function InterviewPage({ session }: { session: InterviewSession }) {
  const items = useBoard((s) => s.board.items);
  const current = useBoard((s) => s.board.sessionId);
  useEffect(() => {
    if (current !== session.id) boardStore.getState().setSession(session.id);
  }, [current, session.id]);
  const lines = evaluateRubric(session.rubric, items);
  const score = rubricScore(lines);
  const go = (search: string) => (e: React.MouseEvent) => (e.preventDefault(), navigate(search));
  return (
    <article className="interview" data-testid="interview-session">
      <p className="muted">Interview mode · Month {session.month === 7 ? '7 (across months)' : session.month}</p>
      <h2>{session.question}</h2>
      <p>{session.why}</p>
      <Timer minutes={session.minutes} />
      <h3>
        Evidence a strong answer cites{' '}
        <span className="muted" data-testid="rubric-score">
          ({score.met} of {score.total} pinned)
        </span>
      </h3>
      <ol className="rubric">
        {lines.map(({ observation: o, evidence }) => (
          <li
            key={o.id}
            className={evidence.length ? 'met' : 'missing'}
            data-testid="rubric-line"
            data-met={evidence.length ? 'yes' : 'no'}
          >
            <span className="rubric-mark" aria-label={evidence.length ? 'pinned' : 'still missing'}>
              {evidence.length ? '✓' : '○'}
            </span>
            <div>
              <p>{o.text}</p>
              <p className="muted">
                {evidence.length ? (
                  <>Shown by: {evidence.map((e) => e.title).join('; ')}</>
                ) : (
                  <>
                    Still missing. {'how' in o ? (o as { how: string }).how : ''}{' '}
                    <a href={stateSearch(o.lab, o.params)} onClick={go(stateSearch(o.lab, o.params))}>
                      Open this state
                    </a>
                  </>
                )}
              </p>
            </div>
          </li>
        ))}
      </ol>
      <p>
        <a className="btn" href="?board" onClick={go('?board')}>
          Open the board (present, share, hand in)
        </a>
      </p>
    </article>
  );
}

/** The list of sessions, for the home page. */
export function InterviewList() {
  return (
    <section className="interview-list" aria-label="Interview mode">
      <h2>Interview mode</h2>
      <p className="muted">
        Answer the roadmap’s questions from your own measurements: each session lists the evidence a strong answer
        cites; pin it from the labs.
      </p>
      <ul className="cards">
        {SESSIONS.map((s) => (
          <li key={s.id} className="card">
            <a href={`?interview=${s.id}`} onClick={(e) => (e.preventDefault(), navigate(`?interview=${s.id}`))}>
              <h3>{s.title}</h3>
              <p>{s.question}</p>
              <span className="tag">Month {s.month === 7 ? '7 · across labs' : s.month}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
