import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { addItem, mergeBoards, moveItem, removeItem, setNote, type Merged, type NewItem } from '../../interview/board';
import { loadBoard, memoryStore, saveBoard, type KeyValueStore } from '../../interview/storage';
import { emptyBoard, type Board } from '../../interview/types';

/**
 * The evidence board in the browser: loaded from localStorage once, saved after every edit. A save
 * that fails (full quota, storage disabled) keeps the board on screen and says why in `saveError`;
 * the next successful save clears it. An unreadable stored board that could not be copied aside
 * (`unreadable`) blocks every save until the user downloads or discards it: nothing overwrites it
 * unasked.
 */
export interface BoardState {
  board: Board;
  /** Problems found when loading (migrated or dropped items, a corrupt board set aside). */
  loadProblems: string[];
  saveError: string | null;
  /** The stored board's text when it could not be read nor copied aside; saves wait for the user. */
  unreadable: string | null;
  /** The id of the item pinned last, so the lab can confirm it. */
  lastPinned: string | null;
  pin(item: NewItem): void;
  unpin(id: string): void;
  move(id: string, delta: number): void;
  note(id: string, text: string): void;
  /** Adds a shared board's items (or the chosen ones); when not all fit, adds none and says which would not. */
  merge(incoming: Board, only?: ReadonlySet<string>): Merged;
  /** The user chose to discard the unreadable stored board: saving resumes. */
  discardUnreadable(): void;
  setSession(id: string | undefined): void;
  clear(): void;
}

function storage(): KeyValueStore {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    /* storage disabled (e.g. a sandboxed iframe): keep the board in memory */
  }
  return memoryStore();
}

export function createBoardStore(kv: KeyValueStore = storage()) {
  const loaded = loadBoard(kv);
  return createStore<BoardState>()((set, get) => {
    const commit = (board: Board, extra: Partial<BoardState> = {}) => {
      if (get().unreadable !== null) {
        set({
          board,
          saveError:
            'Not saved yet: the unreadable board is still stored in this browser. Download it or discard it (above) and your board is saved.',
          ...extra,
        });
        return;
      }
      const saved = saveBoard(kv, board);
      set({ board, saveError: saved.ok ? null : saved.message, ...extra });
    };
    return {
      board: loaded.board,
      loadProblems: loaded.problems,
      saveError: null,
      unreadable: loaded.unreadable,
      lastPinned: null,
      pin: (item) => {
        const r = addItem(get().board, item);
        if ('error' in r) set({ saveError: r.error });
        else commit(r.board, { lastPinned: r.item.id });
      },
      unpin: (id) => commit(removeItem(get().board, id)),
      move: (id, delta) => commit(moveItem(get().board, id, delta)),
      note: (id, text) => commit(setNote(get().board, id, text)),
      merge: (incoming, only) => {
        const m = mergeBoards(get().board, incoming, only);
        if (m.added.length) commit(m.board);
        return m;
      },
      discardUnreadable: () => {
        set({ unreadable: null, loadProblems: [] });
        commit(get().board);
      },
      setSession: (id) => commit({ ...get().board, sessionId: id }),
      // Unread items (ones this version cannot show) are not the user's to clear by accident.
      clear: () => commit({ ...emptyBoard(), ...(get().board.unread ? { unread: get().board.unread } : {}) }),
    };
  });
}

export const boardStore = createBoardStore();

export function useBoard<T>(selector: (s: BoardState) => T): T {
  return useStore(boardStore, selector);
}
