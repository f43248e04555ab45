import { findLab } from '../labs/registry';
import { SCENARIOS } from '../scenarios';
import { SCENARIO_TOPICS, TOUR_TOPIC } from '../scenarios/topics';
import { navigate } from './router';
import { TopicThumb } from './TopicThumb';
import './scenarios.css';

/** A group's heading: the lab's title up to its colon ("KV cache: PagedAttention vs ..." → "KV cache"). */
function topicTitle(topic: string): string {
  if (topic === TOUR_TOPIC) return 'Across labs';
  const title = findLab(topic)?.title ?? topic;
  return title.split(':')[0];
}

/** The home page's scenarios, grouped by topic: each opens its lab with a guided step-through. */
export function ScenarioGallery() {
  const groups = SCENARIO_TOPICS.map((t) => ({ topic: t, items: SCENARIOS.filter((s) => s.topic === t) })).filter(
    (g) => g.items.length,
  );
  if (!groups.length) return null;
  return (
    <section aria-label="Scenarios" className="gallery">
      <h2>Scenarios</h2>
      <p className="muted">
        Guided paths with a question at the end: each opens its lab at the right settings and walks you through what to
        change and what to look for.
      </p>
      <div className="gallery-groups">
        {groups.map((g) => (
          <div key={g.topic} className="gallery-topic" data-topic={g.topic}>
            <h3>{topicTitle(g.topic)}</h3>
            <ul className="cards">
              {g.items.map((s) => {
                const labs = [...new Set([s.lab, ...s.steps.flatMap((st) => (st.lab ? [st.lab] : []))])].map(
                  (id) => findLab(id)?.title ?? id,
                );
                const href = `?scenario=${encodeURIComponent(s.id)}`;
                return (
                  <li key={s.id} className="card scenario-card" data-scenario={s.id}>
                    <a
                      href={href}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(href);
                      }}
                    >
                      <TopicThumb topic={s.topic} />
                      <div>
                        <h4>{s.title}</h4>
                        <p>{s.summary}</p>
                        <p className="card-meta">
                          {s.steps.length} steps · {labs.join(' → ')}
                          {s.recording ? ' · replays without WebGPU' : ''}
                        </p>
                      </div>
                    </a>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}
