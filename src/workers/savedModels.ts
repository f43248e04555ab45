import { CheckpointError, decodeCheckpoint, type Checkpoint } from '../model/train/checkpoint';
import { idbSlots, type SlotBackend } from './checkpointStore';

/**
 * The Train lab's stored checkpoints as models another page can serve, by name. The Train lab keeps
 * two slots (checkpointStore.ts): the latest checkpoint and the one before it; they are offered as
 * "trained" and "trained-previous", names that stay the same across reloads, so a link that names
 * one keeps meaning "the model I trained here". Read-only: nothing here writes the Train lab's slots.
 */
export const SAVED_MODEL_SLOTS = { trained: 'latest', 'trained-previous': 'previous' } as const;
export type SavedModelName = keyof typeof SAVED_MODEL_SLOTS;

export interface SavedModelEntry {
  name: SavedModelName;
  /** A short description for a picker: "2 layers × d 32, step 1500, 96.9 % held-out". */
  label: string;
  /** The decoded checkpoint; null when the slot's bytes are unusable (see problem). */
  checkpoint: Checkpoint | null;
  /** Why the slot's bytes cannot be served (the checkpoint's named problem). */
  problem: string | null;
}

/** A saved model that cannot be served: absent, or its bytes fail the checkpoint's checks. */
export class SavedModelError extends Error {
  constructor(
    readonly kind: 'missing' | 'corrupt' | 'unknown-name',
    message: string,
  ) {
    super(message);
    this.name = 'SavedModelError';
  }
}

export function isSavedModelName(name: string): name is SavedModelName {
  return Object.hasOwn(SAVED_MODEL_SLOTS, name);
}

function describe(ck: Checkpoint): string {
  const m = ck.spec.model;
  const last = ck.evals[ck.evals.length - 1];
  const acc = last ? `, ${(last.accuracy * 100).toFixed(1)} % held-out` : '';
  return `${m.layers} layer${m.layers === 1 ? '' : 's'} × d ${m.dModel}, ${ck.spec.task.digits}-digit sums, step ${ck.step}${acc}`;
}

/** Every slot that holds bytes, decoded, with a named problem instead of a throw for a corrupt one. */
export async function listSavedModels(slots: SlotBackend): Promise<SavedModelEntry[]> {
  const out: SavedModelEntry[] = [];
  for (const name of Object.keys(SAVED_MODEL_SLOTS) as SavedModelName[]) {
    const bytes = await slots.get(SAVED_MODEL_SLOTS[name]);
    if (!bytes) continue;
    try {
      const checkpoint = decodeCheckpoint(bytes);
      out.push({ name, label: describe(checkpoint), checkpoint, problem: null });
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      out.push({ name, label: `unusable (${e.problem})`, checkpoint: null, problem: e.message });
    }
  }
  return out;
}

/** The saved model of that name, decoded; a SavedModelError names why it cannot be had. */
export async function loadSavedModel(slots: SlotBackend, name: string): Promise<Checkpoint> {
  if (!isSavedModelName(name))
    throw new SavedModelError(
      'unknown-name',
      `"${name}" names no model: choose "shipped" or one of ${Object.keys(SAVED_MODEL_SLOTS).join(', ')}.`,
    );
  const bytes = await slots.get(SAVED_MODEL_SLOTS[name]);
  if (!bytes)
    throw new SavedModelError(
      'missing',
      `No saved model "${name}" in this browser (the Train lab has not checkpointed one here, or it was reset).`,
    );
  try {
    return decodeCheckpoint(bytes);
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    throw new SavedModelError('corrupt', `The saved model "${name}" is corrupt (${e.problem}): ${e.message}`);
  }
}

/**
 * Where the Train lab's checkpoints live in this browser: the one place that names the backend, so
 * moving the Train lab's storage (IndexedDB today) moves what other labs read with it.
 */
export function trainLabSlots(): SlotBackend {
  return idbSlots();
}
