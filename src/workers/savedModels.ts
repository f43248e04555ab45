import { CheckpointError, type Checkpoint } from '../model/train/checkpoint';
import {
  browserSlots,
  CheckpointStoreError,
  listSavedRuns,
  loadSavedRun,
  type SavedRun,
  type SlotBackend,
} from './checkpointStore';

/**
 * The Train lab's saved runs as models another page can serve, by run name (checkpointStore.ts's
 * runName(spec), e.g. "L2-D32-H1-T16-B16-d2-s1-3fa2c1d0"). The name is a hash of the run's whole
 * spec, so it stays the same across reloads and a link that names one keeps meaning "the model I
 * trained with that configuration". Each run is served from its newest usable checkpoint (the
 * store falls back from a corrupt latest to the previous one). Read-only: nothing here writes the
 * Train lab's slots. This is a thin layer over listSavedRuns/loadSavedRun that adds the picker's
 * words, checks a name from a URL, and maps the store's errors to the Serve lab's three kinds.
 */

/** The longest name accepted: runName() is about 30–50 characters even for large shapes and seeds. */
export const RUN_NAME_MAX_LENGTH = 64;
/** runName() writes only letters, digits and "-" (it is a file name in OPFS). */
const RUN_NAME = /^[A-Za-z0-9-]+$/;

export interface SavedModelEntry {
  /** The run's name, as the URL's target= / draft= holds it. */
  name: string;
  /** A short description for a picker: "2 layers × d 32, 2-digit sums, step 1500, 96.9 % held-out". */
  label: string;
  run: SavedRun;
}

/** A saved model that cannot be served: absent, its bytes fail the checkpoint's checks, or no run's name. */
export class SavedModelError extends Error {
  constructor(
    readonly kind: 'missing' | 'corrupt' | 'unknown-name',
    message: string,
  ) {
    super(message);
    this.name = 'SavedModelError';
  }
}

/** Why `name` cannot be a saved run's name, or null when it can. */
export function runNameProblem(name: string): string | null {
  if (name.length > RUN_NAME_MAX_LENGTH)
    return `A saved run's name has at most ${RUN_NAME_MAX_LENGTH} characters; this one has ${name.length}.`;
  if (!RUN_NAME.test(name)) return `A saved run's name is made of letters, digits and "-" only.`;
  return null;
}

/** A name from a URL, quoted for a message: escaped and cut short, so hostile text stays inert and brief. */
function quoted(name: string): string {
  const cut = name.length > RUN_NAME_MAX_LENGTH ? `${name.slice(0, RUN_NAME_MAX_LENGTH)}…` : name;
  return JSON.stringify(cut);
}

/** "2 layers × d 32, 2-digit sums, step 1500, 96.9 % held-out" (the accuracy only if the run evaluated). */
export function describeRun(run: SavedRun): string {
  const m = run.model;
  const acc = run.accuracy === null ? '' : `, ${(run.accuracy * 100).toFixed(1)} % held-out`;
  return `${m.layers} layer${m.layers === 1 ? '' : 's'} × d ${m.dModel}, ${run.task.digits}-digit sums, step ${run.step}${acc}`;
}

/** Every run the Train lab saved with a usable checkpoint, newest step first (runs with none are left out). */
export async function listSavedModels(slots: SlotBackend): Promise<SavedModelEntry[]> {
  return (await listSavedRuns(slots)).map((run) => ({ name: run.name, label: describeRun(run), run }));
}

/** The saved run of that name, its newest usable checkpoint; a SavedModelError names why it cannot be had. */
export async function loadSavedModel(slots: SlotBackend, name: string): Promise<Checkpoint> {
  const bad = runNameProblem(name);
  if (bad)
    throw new SavedModelError(
      'unknown-name',
      `${quoted(name)} names no model: ${bad} Choose "shipped" or a run the Train lab saved in this browser.`,
    );
  try {
    return await loadSavedRun(slots, name);
  } catch (e) {
    if (e instanceof CheckpointError)
      throw new SavedModelError('corrupt', `The saved model "${name}" is corrupt (${e.problem}): ${e.message}`);
    if (!(e instanceof CheckpointStoreError)) throw e;
    switch (e.problem) {
      case 'corrupt':
        throw new SavedModelError('corrupt', `The saved model "${name}" is corrupt. ${e.message}`);
      case 'missing':
        throw new SavedModelError(
          'missing',
          `No saved model "${name}" in this browser (the Train lab has not checkpointed that run here, or it was reset).`,
        );
      default:
        // No storage at all (a private window, a policy): nothing can be saved, so nothing is.
        throw new SavedModelError('missing', `No saved model "${name}" can be read here: ${e.message}`);
    }
  }
}

let slots: Promise<SlotBackend> | null = null;

/**
 * Where the Train lab's checkpoints live in this browser: the same choice the Train lab makes
 * (browserSlots(): OPFS where offered, IndexedDB otherwise), and the one place outside the Train
 * lab that names the backend, so moving its storage moves what other labs read with it. Opened
 * once per page (browserSlots() probes OPFS with a write).
 */
export function trainLabSlots(): Promise<SlotBackend> {
  return (slots ??= browserSlots());
}
