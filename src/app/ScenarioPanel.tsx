import { findLab } from '../labs/registry';
import { labUrl } from '../labkit/url';
import type { ScenarioIndex as Scenario } from '../scenarios';
import { stepLab, type ScenarioState } from '../scenarios/state';
import { appStore } from '../store';
import { navigate } from './router';
import './scenarios.css';

function goTo(s: Scenario, index: number): void {
  navigate(`?scenario=${encodeURIComponent(s.id)}&step=${index + 1}`, 'push');
}

/** Guided mode: the scenario's narrative, one step at a time; each step applies its own changes. */
export function ScenarioPanel({
  scenario: s,
  state,
  compact = false,
}: {
  scenario: Scenario;
  state: ScenarioState;
  compact?: boolean;
}) {
  const i = state.index;
  const step = s.steps[i];
  const last = i === s.steps.length - 1;
  const lab = findLab(state.lab);
  const prevLab = i > 0 ? findLab(stepLab(s, i - 1)) : null;
  const leave = () => {
    const values = lab ? appStore.getState().params[lab.id] : undefined;
    navigate(lab && values ? labUrl(lab.id, lab.schema, values) : '?', 'push');
  };
  return (
    <section
      className={`scenario-panel ${compact ? 'compact' : ''}`}
      aria-label="Scenario"
      data-scenario={s.id}
      data-step={i + 1}
    >
      {compact ? null : (
        <header className="scenario-head">
          <span className="scenario-kicker">Scenario</span>
          <h2>{s.title}</h2>
          <p className="muted">{s.summary}</p>
        </header>
      )}
      <ol className="scenario-steps" aria-label="Steps">
        {s.steps.map((st, k) => (
          <li key={k}>
            <button
              type="button"
              className={k === i ? 'current' : k < i ? 'done' : ''}
              aria-current={k === i ? 'step' : undefined}
              onClick={() => goTo(s, k)}
            >
              <span className="step-num">{k + 1}</span>
              {compact ? <span className="sr-only">{st.title}</span> : <span className="step-title">{st.title}</span>}
            </button>
          </li>
        ))}
      </ol>
      <div className="scenario-step" aria-live="polite">
        <h3>
          Step {i + 1} of {s.steps.length}: {step.title}
        </h3>
        {lab && prevLab && prevLab.id !== lab.id ? (
          <p className="scenario-lab-switch">This step moves to the {lab.title} lab.</p>
        ) : null}
        <p>{step.text}</p>
        {last && s.interviewQuestion ? (
          <div className="scenario-interview">
            <p>
              <strong>Interview question:</strong> {s.interviewQuestion}
            </p>
            {s.goodAnswer ? (
              <details>
                <summary>What a good answer cites</summary>
                <ul>
                  {s.goodAnswer.map((g) => (
                    <li key={g}>{g}</li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        ) : null}
      </div>
      <div className="scenario-nav">
        <button type="button" className="btn" disabled={i === 0} onClick={() => goTo(s, i - 1)}>
          ← Back
        </button>
        <button type="button" className="btn btn-run" disabled={last} onClick={() => goTo(s, i + 1)}>
          Next →
        </button>
        {compact ? null : (
          <button type="button" className="btn btn-link" onClick={leave}>
            Leave the scenario, keep these settings
          </button>
        )}
      </div>
    </section>
  );
}
