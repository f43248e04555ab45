import type { ReactNode } from 'react';
import type { Exercise } from './exercise';

/** Exercise text: paragraphs where `backticks` mark code. */
export function Rich({ text }: { text: string }): ReactNode {
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part));
}

export function Statement({ ex }: { ex: Exercise }) {
  return (
    <div className="wb-statement">
      <h3>{ex.title}</h3>
      {ex.statement.map((p, i) => (
        <p key={i}>
          <Rich text={p} />
        </p>
      ))}
      <p className="wb-target">
        <strong className="hbm">Traffic target.</strong> <Rich text={ex.traffic.explain} />
      </p>
      {ex.hints.length ? (
        <details>
          <summary>Hints</summary>
          <ul>
            {ex.hints.map((h, i) => (
              <li key={i}>
                <Rich text={h} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
