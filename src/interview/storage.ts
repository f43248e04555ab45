import { parseBoard } from './validate';
import { emptyBoard, type Board } from './types';

/** What the board needs of storage: `window.localStorage` in the browser, a Map-backed one in tests. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const BOARD_KEY = 'gpu-playground:board';

export interface Loaded {
  board: Board;
  /** Said to the user when something stored could not be used; the rest of the board still loads. */
  problems: string[];
}

/** Loads (and migrates) the stored board; a corrupt one is kept aside, never silently overwritten. */
export function loadBoard(store: KeyValueStore): Loaded {
  let text: string | null;
  try {
    text = store.getItem(BOARD_KEY);
  } catch (e) {
    return { board: emptyBoard(), problems: [`Browser storage cannot be read (${(e as Error).message}); the board starts empty and will not be saved.`] };
  }
  if (text === null) return { board: emptyBoard(), problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = json === undefined ? { ok: false as const, message: 'The saved board is not valid JSON.' } : parseBoard(json);
  if (!parsed.ok) {
    // Keep the unreadable text under another key so a later version (or the user) can recover it.
    try {
      store.setItem(`${BOARD_KEY}:unreadable`, text);
    } catch {
      /* nothing more we can do; the message below still tells the user */
    }
    return { board: emptyBoard(), problems: [`${parsed.message} It was set aside; the board starts empty.`] };
  }
  return { board: parsed.board, problems: parsed.dropped.map((d) => `Skipped a pinned item: ${d}.`) };
}

export type Saved = { ok: true; bytes: number } | { ok: false; message: string };

function isQuota(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** Saves the board; a full quota is reported with the board's size, and what is on screen stays. */
export function saveBoard(store: KeyValueStore, board: Board): Saved {
  const text = JSON.stringify(board);
  try {
    store.setItem(BOARD_KEY, text);
    return { ok: true, bytes: text.length };
  } catch (e) {
    const kib = (text.length / 1024).toFixed(0);
    if (isQuota(e))
      return {
        ok: false,
        message: `Browser storage is full: the board (${kib} KiB) was not saved. Unpin a chart or export the board; nothing on screen was lost.`,
      };
    return { ok: false, message: `The board (${kib} KiB) was not saved: ${(e as Error).message}` };
  }
}

/** An in-memory store with an optional byte quota, for tests and for browsers without storage. */
export function memoryStore(quotaBytes = Infinity): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      let total = v.length;
      for (const [key, val] of data) if (key !== k) total += val.length;
      if (total > quotaBytes) throw Object.assign(new Error('quota exceeded'), { name: 'QuotaExceededError' });
      data.set(k, v);
    },
    removeItem: (k) => void data.delete(k),
  };
}
