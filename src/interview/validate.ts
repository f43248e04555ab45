import { BOARD_VERSION, type Board, type EvidenceItem, type EvidenceTable } from './types';

/**
 * Boards come from storage the user controls and from share links anyone can craft: every field
 * is checked and anything malformed is reported by name, never trusted. Version 1 boards (before
 * `source` and `kind` existed: every item was a measured table) are migrated. Items this version
 * cannot read are skipped for display but, from storage, kept verbatim (Board.unread).
 */
export interface Skip {
  /** The item's id when it has one. */
  id: string | null;
  /** Why it was skipped, without the id ("names no valid lab"), so equal reasons group. */
  reason: string;
}

export type Parsed = { ok: true; board: Board; skipped: Skip[] } | { ok: false; message: string };

/** Where a board came from, for messages in the user's words. */
export type Origin = 'storage' | 'link';

export const MAX_BOARD_ITEMS = 500;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max;

function parseTable(v: unknown): EvidenceTable | undefined | string {
  if (v === undefined) return undefined;
  if (!isObj(v) || !Array.isArray(v.columns) || !Array.isArray(v.rows)) return 'has a table without columns or rows';
  const columns: unknown[] = v.columns;
  const rows: unknown[] = v.rows;
  if (!columns.every((c) => isStr(c, 200))) return 'has a column name that is not text';
  const cell = (c: unknown) => isStr(c, 2000) || (typeof c === 'number' && Number.isFinite(c));
  if (rows.length > 2000 || !rows.every((r) => Array.isArray(r) && r.length <= columns.length && r.every(cell)))
    return 'has a malformed table row';
  return { columns: columns as string[], rows: rows as (string | number)[][] };
}

/** One item, or why it cannot be used. */
export function parseItem(v: unknown, version: number): EvidenceItem | Skip {
  if (!isObj(v)) return { id: null, reason: 'is not an item at all' };
  const id = isStr(v.id, 80) && v.id ? v.id : null;
  const skip = (reason: string): Skip => ({ id, reason });
  if (id === null) return skip('has no id');
  if (!isStr(v.lab, 60) || !/^[a-z0-9-]+$/.test(v.lab)) return skip('names no valid lab');
  if (!isObj(v.params) || !Object.values(v.params).every((p) => ['number', 'string', 'boolean'].includes(typeof p)))
    return skip('has malformed parameters');
  if (!isStr(v.title, 300)) return skip('has no title');
  const kind = version === 1 ? 'table' : v.kind;
  if (kind !== 'table' && kind !== 'chart')
    return skip('is of a kind this version does not know (neither a table nor a chart)');
  const source = version === 1 ? 'measured' : v.source;
  if (source !== 'measured' && source !== 'simulated' && source !== 'replayed')
    return skip('does not say where its numbers come from');
  const table = parseTable(v.table);
  if (typeof table === 'string') return skip(table);
  if (v.svg !== undefined && !isStr(v.svg, 2_000_000)) return skip('has a malformed chart');
  if (kind === 'table' && !table) return skip('is a table without rows');
  if (kind === 'chart' && v.svg === undefined && !table) return skip('is a chart without a picture');
  return {
    id,
    lab: v.lab,
    labTitle: isStr(v.labTitle, 200) ? v.labTitle : v.lab,
    params: v.params as EvidenceItem['params'],
    kind,
    title: v.title,
    adapter: isStr(v.adapter, 200) ? v.adapter : null,
    source,
    pinnedAt: isStr(v.pinnedAt, 40) && !Number.isNaN(Date.parse(v.pinnedAt)) ? v.pinnedAt : new Date(0).toISOString(),
    ...(table ? { table } : {}),
    ...(typeof v.svg === 'string' ? { svg: v.svg } : {}),
    ...(isStr(v.note, 4000) && v.note ? { note: v.note } : {}),
    ...(v.fromLink === true ? { fromLink: true as const } : {}),
  };
}

const isSkip = (v: EvidenceItem | Skip): v is Skip => 'reason' in v;

function notABoard(origin: Origin, detail: string): Parsed {
  return origin === 'link'
    ? {
        ok: false,
        message: `This link does not hold an evidence board we can read (${detail}). Nothing was loaded; your own board is unchanged.`,
      }
    : { ok: false, message: `The board saved in this browser cannot be read (${detail}).` };
}

/**
 * A whole board: items that fail are skipped and named; a board that is not one at all fails.
 * From storage, skipped items (and any beyond the 500 shown) are kept verbatim in `unread`.
 */
export function parseBoard(v: unknown, origin: Origin = 'storage'): Parsed {
  if (!isObj(v)) return notABoard(origin, 'it is not a board at all');
  const version = v.version;
  if (version !== 1 && version !== BOARD_VERSION)
    return notABoard(
      origin,
      `it was written as version ${JSON.stringify(version)}; this app reads versions 1 and ${BOARD_VERSION}`,
    );
  const list = version === 1 ? v.pins : v.items;
  if (!Array.isArray(list)) return notABoard(origin, 'it has no list of items');
  const items: EvidenceItem[] = [];
  const skipped: Skip[] = [];
  const unread: unknown[] = [];
  const seen = new Set<string>();
  list.forEach((raw: unknown, i: number) => {
    if (i >= MAX_BOARD_ITEMS) {
      skipped.push({
        id: null,
        reason: `is beyond the ${MAX_BOARD_ITEMS} items a board shows${origin === 'storage' ? ' (kept in storage)' : ''}`,
      });
      unread.push(raw);
      return;
    }
    const item = parseItem(raw, version);
    if (isSkip(item)) {
      skipped.push(origin === 'storage' ? { ...item, reason: `${item.reason} (kept in storage, unchanged)` } : item);
      unread.push(raw);
    } else if (seen.has(item.id)) skipped.push({ id: item.id, reason: 'appears twice' });
    else {
      seen.add(item.id);
      items.push(item);
    }
  });
  const board: Board = { version: BOARD_VERSION, items };
  if (isStr(v.sessionId, 80) && v.sessionId) board.sessionId = v.sessionId;
  if (origin === 'storage' && unread.length) board.unread = unread;
  return { ok: true, board, skipped };
}

/**
 * Skips as messages: one line per reason, however many items share it ("10,000 items skipped:
 * they name no valid lab (a, b, c and 9,997 more)"), so a hostile board cannot flood the page.
 */
export function skipMessages(skipped: Skip[], max = 8): string[] {
  const byReason = new Map<string, (string | null)[]>();
  for (const s of skipped) {
    const ids = byReason.get(s.reason);
    if (ids) ids.push(s.id);
    else byReason.set(s.reason, [s.id]);
  }
  const lines = [...byReason].map(([reason, ids]) => {
    const named = ids.filter((id): id is string => id !== null);
    const shown = named.slice(0, 3).map((id) => JSON.stringify(id.length > 24 ? `${id.slice(0, 24)}…` : id));
    const more = ids.length - shown.length;
    const list = shown.length ? ` (${shown.join(', ')}${more ? ` and ${more.toLocaleString('en')} more` : ''})` : '';
    return ids.length === 1
      ? `1 item skipped: it ${reason}${list}.`
      : `${ids.length.toLocaleString('en')} items skipped: each ${reason}${list}.`;
  });
  return lines.length > max ? [...lines.slice(0, max), `…and ${lines.length - max} other reasons.`] : lines;
}
