import type { Board, EvidenceItem } from './types';
import { MAX_BOARD_ITEMS } from './validate';

/** Pure edits of a board; the store persists each result. */
export type NewItem = Omit<EvidenceItem, 'id' | 'pinnedAt'> & { pinnedAt?: string };

let counter = 0;
function newId(now: number): string {
  counter = (counter + 1) % 1e6;
  return `${now.toString(36)}-${counter.toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

export const MAX_ITEMS = MAX_BOARD_ITEMS;

export function addItem(
  board: Board,
  item: NewItem,
  now = Date.now(),
): { board: Board; item: EvidenceItem } | { error: string } {
  if (board.items.length >= MAX_ITEMS)
    return { error: `The board holds at most ${MAX_ITEMS} items; unpin some first.` };
  const full: EvidenceItem = { ...item, id: newId(now), pinnedAt: item.pinnedAt ?? new Date(now).toISOString() };
  return { board: { ...board, items: [...board.items, full] }, item: full };
}

export function removeItem(board: Board, id: string): Board {
  return { ...board, items: board.items.filter((i) => i.id !== id) };
}

/** Moves an item by `delta` places (−1 up, +1 down), clamped to the ends. */
export function moveItem(board: Board, id: string, delta: number): Board {
  const from = board.items.findIndex((i) => i.id === id);
  if (from < 0) return board;
  const to = Math.max(0, Math.min(board.items.length - 1, from + delta));
  if (to === from) return board;
  const items = [...board.items];
  const [it] = items.splice(from, 1);
  items.splice(to, 0, it);
  return { ...board, items };
}

export function setNote(board: Board, id: string, note: string): Board {
  const text = note.slice(0, 4000);
  return { ...board, items: board.items.map((i) => (i.id === id ? { ...i, note: text || undefined } : i)) };
}

export interface Merged {
  board: Board;
  /** Items added, in order. */
  added: EvidenceItem[];
  /** Items of the incoming board already on this one (same id), not doubled. */
  already: number;
  /** When not every new item fits under the cap: nothing was added, these would fit, and `refused` would not. */
  fits: EvidenceItem[];
  refused: EvidenceItem[];
}

/**
 * Merges a shared board into the local one: items already present (same id) are not doubled.
 * `only` limits it to chosen ids. When the new items do not all fit under MAX_ITEMS nothing is
 * added: the caller names what would not fit and lets the user choose (add those that fit, or
 * pick items, or unpin some first), so nothing is dropped silently.
 */
export function mergeBoards(local: Board, incoming: Board, only?: ReadonlySet<string>): Merged {
  const ids = new Set(local.items.map((i) => i.id));
  const wanted = incoming.items.filter((i) => !only || only.has(i.id));
  const fresh = wanted.filter((i) => !ids.has(i.id));
  const already = wanted.length - fresh.length;
  const room = Math.max(0, MAX_ITEMS - local.items.length);
  if (fresh.length > room)
    return { board: local, added: [], already, fits: fresh.slice(0, room), refused: fresh.slice(room) };
  const marked = fresh.map((i): EvidenceItem => ({ ...i, fromLink: true }));
  return { board: { ...local, items: [...local.items, ...marked] }, added: marked, already, fits: [], refused: [] };
}
