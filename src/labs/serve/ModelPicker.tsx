import { useEffect, useState } from 'react';
import type { LabViewProps } from '../../labkit/contract';
import { listSavedModels, trainLabSlots, type SavedModelEntry } from '../../workers/savedModels';
import type { meta } from './meta';

type Props = Pick<LabViewProps<typeof meta.schema>, 'params' | 'actions'>;

/**
 * Target and draft: the shipped checkpoints or a run the Train lab saved in this browser, listed by
 * run name with its size, task, step and held-out accuracy. The choice is a view-placed parameter
 * (kept in the URL by run name); picking one re-runs the lab.
 */
export function ModelPicker({ params, actions }: Props) {
  const [saved, setSaved] = useState<SavedModelEntry[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    (async () => {
      try {
        const list = await listSavedModels(await trainLabSlots());
        if (alive) setSaved(list);
      } catch (e) {
        if (alive) {
          setSaved([]);
          setProblem(`Saved models cannot be listed here: ${(e as Error).message}`);
        }
      }
    })();
    return () => {
      alive = false;
    };
  }, []);
  const options = (current: string) => {
    const list = [{ value: 'shipped', label: 'shipped checkpoint' }];
    // The readable words first (a closed select shows only its start), then the run's name.
    for (const s of saved ?? []) list.push({ value: s.name, label: `${s.label} · run ${s.name}` });
    if (!list.some((o) => o.value === current))
      list.push({ value: current, label: `${current} (not saved in this browser)` });
    return list;
  };
  const pick = (role: 'target' | 'draft', value: string) => {
    actions.setParams({ [role]: value });
    // A view-placed parameter does not re-run by itself: run with the new model now.
    actions.run();
  };
  return (
    <div className="serve-models-picker" data-testid="serve-model-picker">
      {(['target', 'draft'] as const).map((role) => (
        <label key={role}>
          {role === 'target' ? 'Target' : 'Draft'}{' '}
          <select
            value={params[role]}
            onChange={(e) => pick(role, e.target.value)}
            aria-label={role === 'target' ? 'Target model' : 'Draft model'}
          >
            {options(params[role]).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      {saved && saved.length === 0 && !problem ? (
        <span className="serve-models-hint">No saved model yet: train one in the Train lab and it appears here.</span>
      ) : null}
      {problem ? <span role="status">{problem}</span> : null}
    </div>
  );
}
