import { loadCheckpointFrom, type LoadedModel } from '../../model/serve/evaluate';
import { checkPair } from '../../model/serve/pairing';
import type { SlotBackend } from '../../workers/checkpointStore';
import { loadSavedModel, SavedModelError } from '../../workers/savedModels';

/**
 * Which checkpoint serves as target and which as draft: "shipped" (public/checkpoints/) or a
 * run the Train lab saved in this browser, by its run name (src/workers/savedModels.ts). A name
 * that is no longer there (or is no run's name) falls back to the shipped checkpoint with a
 * message; a corrupt one, or a pair that cannot do speculative decoding together, is an error
 * that names why.
 */
export type Role = 'target' | 'draft';

export interface ChosenModel {
  model: LoadedModel;
  /** The name actually served ("shipped" after a fallback). */
  name: string;
  /** In words, for the page: "shipped target checkpoint" or "your saved model \"L2-D32-…\"". */
  source: string;
}

export interface ChosenPair {
  target: ChosenModel;
  draft: ChosenModel;
  /** Fallbacks taken, one sentence each. */
  notes: string[];
}

/** Where the two kinds of model come from: the Train lab's slots, and the shipped checkpoint of a role. */
export interface ModelSources {
  slots(): Promise<SlotBackend>;
  shipped(role: Role): Promise<LoadedModel>;
}

export async function chooseModel(
  role: Role,
  name: string,
  from: ModelSources,
): Promise<{ chosen: ChosenModel; note: string | null }> {
  const shipped = async (): Promise<ChosenModel> => ({
    model: await from.shipped(role),
    name: 'shipped',
    source: `shipped ${role} checkpoint`,
  });
  if (name === '' || name === 'shipped') return { chosen: await shipped(), note: null };
  try {
    const ck = await loadSavedModel(await from.slots(), name);
    return { chosen: { model: loadCheckpointFrom(ck), name, source: `your saved model "${name}"` }, note: null };
  } catch (e) {
    // Absent, or no run's name, or storage that cannot be opened at all: the shipped one, said so.
    const missing =
      (e instanceof SavedModelError && e.kind !== 'corrupt') || (e as { problem?: string })?.problem === 'unavailable';
    if (!missing) throw e;
    return {
      chosen: await shipped(),
      note: `${(e as Error).message} The ${role} is the shipped checkpoint instead.`,
    };
  }
}

export async function choosePair(names: { target: string; draft: string }, from: ModelSources): Promise<ChosenPair> {
  const [t, d] = await Promise.all([
    chooseModel('target', names.target, from),
    chooseModel('draft', names.draft, from),
  ]);
  checkPair(t.chosen.model, d.chosen.model, {
    target: `target (${t.chosen.source})`,
    draft: `draft (${d.chosen.source})`,
  });
  return { target: t.chosen, draft: d.chosen, notes: [t.note, d.note].filter((n): n is string => n !== null) };
}
