import { parseBoard, skipMessages } from './validate';
import { emptyBoard, type Board } from './types';

/** What the board needs of storage: `window.localStorage` in the browser, a Map-backed one in tests. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const BOARD_KEY = 'gpu-playground:board';
/** Unreadable boards are copied to `${UNREADABLE_KEY}:<time>`, one key each, never overwritten. */
export const UNREADABLE_KEY = `${BOARD_KEY}:unreadable`;

export interface Loaded {
  board: Board;
  /** Said to the user when something stored could not be used; the rest of the board still loads. */
  problems: string[];
  /**
   * Set when the stored board could not be read and there was no room to copy it aside: it is
   * still under BOARD_KEY, and nothing may be saved over it until the user downloads or discards it.
   */
  unreadable: string | null;
}

function freeKey(store: KeyValueStore, now: Date): string {
  const base = `${UNREADABLE_KEY}:${now.toISOString()}`;
  let key = base;
  for (let n = 2; store.getItem(key) !== null; n++) key = `${base}-${n}`;
  return key;
}

/** Loads (and migrates) the stored board; a corrupt one is kept, never silently overwritten. */
export function loadBoard(store: KeyValueStore, now = new Date()): Loaded {
  let text: string | null;
  try {
    text = store.getItem(BOARD_KEY);
  } catch (e) {
    return {
      board: emptyBoard(),
      problems: [
        `Browser storage cannot be read (${(e as Error).message}); the board starts empty and will not be saved.`,
      ],
      unreadable: null,
    };
  }
  if (text === null) return { board: emptyBoard(), problems: [], unreadable: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed =
    json === undefined
      ? { ok: false as const, message: 'The board saved in this browser cannot be read (it is not valid JSON).' }
      : parseBoard(json, 'storage');
  if (!parsed.ok) {
    // Keep the unreadable text under its own key so a later version (or the user) can recover it.
    try {
      const key = freeKey(store, now);
      store.setItem(key, text);
      // The copy is stored, so the original can go: a reload must not copy it again and again.
      store.removeItem(BOARD_KEY);
      return {
        board: emptyBoard(),
        problems: [
          `${parsed.message} It was kept unchanged under “${key}” in this browser’s storage; the board starts empty.`,
        ],
        unreadable: null,
      };
    } catch {
      const kib = Math.ceil(text.length / 1024);
      return {
        board: emptyBoard(),
        problems: [
          `${parsed.message} There is no room to keep a copy of it (${kib} KiB), so it stays where it is and nothing will be saved over it until you choose: download it, or discard it.`,
        ],
        unreadable: text,
      };
    }
  }
  return { board: parsed.board, problems: skipMessages(parsed.skipped), unreadable: null };
}

export type Saved = { ok: true; bytes: number } | { ok: false; message: string };

function isQuota(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** The stored form: readable items, then the unread ones verbatim (so an older or newer version finds them). */
export function boardText(board: Board): string {
  const { unread, ...rest } = board;
  return JSON.stringify(unread?.length ? { ...rest, items: [...board.items, ...unread] } : rest);
}

/** Saves the board; a full quota is reported with the board's size, and what is on screen stays. */
export function saveBoard(store: KeyValueStore, board: Board): Saved {
  const text = boardText(board);
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
