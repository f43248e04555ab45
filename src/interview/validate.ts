import { BOARD_VERSION, type Board, type EvidenceItem, type EvidenceTable } from './types';

/**
 * Boards come from storage the user controls and from share links anyone can craft: every field
 * is checked and anything malformed is reported by name, never trusted. Version 1 boards (before
 * `source` and `kind` existed: every item was a measured table) are migrated.
 */
export type Parsed = { ok: true; board: Board; dropped: string[] } | { ok: false; message: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max;

function parseTable(v: unknown): EvidenceTable | undefined | string {
  if (v === undefined) return undefined;
  if (!isObj(v) || !Array.isArray(v.columns) || !Array.isArray(v.rows)) return 'its table has no columns or rows';
  const columns: unknown[] = v.columns;
  const rows: unknown[] = v.rows;
  if (!columns.every((c) => isStr(c, 200))) return 'a column name is not text';
  const cell = (c: unknown) => isStr(c, 2000) || (typeof c === 'number' && Number.isFinite(c));
  if (rows.length > 2000 || !rows.every((r) => Array.isArray(r) && r.length <= columns.length && r.every(cell))) return 'a table row is malformed';
  return { columns: columns as string[], rows: rows as (string | number)[][] };
}

/** One item, or the reason it cannot be used. */
export function parseItem(v: unknown, version: number): EvidenceItem | string {
  if (!isObj(v)) return 'an item is not an object';
  const id = v.id;
  if (!isStr(id, 80) || !id) return 'an item has no id';
  if (!isStr(v.lab, 60) || !/^[a-z0-9-]+$/.test(v.lab)) return `item ${id} names no valid lab`;
  if (!isObj(v.params) || !Object.values(v.params).every((p) => ['number', 'string', 'boolean'].includes(typeof p))) return `item ${id} has malformed parameters`;
  if (!isStr(v.title, 300)) return `item ${id} has no title`;
  const kind = version === 1 ? 'table' : v.kind;
  if (kind !== 'table' && kind !== 'chart') return `item ${id} is neither a table nor a chart`;
  const source = version === 1 ? 'measured' : v.source;
  if (source !== 'measured' && source !== 'simulated' && source !== 'replayed') return `item ${id} does not say where its numbers come from`;
  const table = parseTable(v.table);
  if (typeof table === 'string') return `item ${id}: ${table}`;
  if (v.svg !== undefined && !isStr(v.svg, 2_000_000)) return `item ${id} has a malformed chart`;
  if (kind === 'table' && !table) return `item ${id} is a table without rows`;
  if (kind === 'chart' && v.svg === undefined && !table) return `item ${id} is a chart without a picture`;
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
  };
}

/** A whole board: items that fail are dropped and named; a board that is not one at all fails. */
export function parseBoard(v: unknown): Parsed {
  if (!isObj(v)) return { ok: false, message: 'The saved board is not a JSON object.' };
  const version = v.version;
  if (version !== 1 && version !== BOARD_VERSION)
    return { ok: false, message: `The board has version ${JSON.stringify(version)}; this app reads versions 1 and ${BOARD_VERSION}.` };
  const list = version === 1 ? v.pins : v.items;
  if (!Array.isArray(list)) return { ok: false, message: `The board has no ${version === 1 ? 'pins' : 'items'} list.` };
  const items: EvidenceItem[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  for (const raw of list.slice(0, 500)) {
    const item = parseItem(raw, version);
    if (typeof item === 'string') dropped.push(item);
    else if (seen.has(item.id)) dropped.push(`item ${item.id} appears twice`);
    else {
      seen.add(item.id);
      items.push(item);
    }
  }
  if (list.length > 500) dropped.push(`${list.length - 500} items beyond the 500 a board holds`);
  const board: Board = { version: BOARD_VERSION, items };
  if (isStr(v.sessionId, 80) && v.sessionId) board.sessionId = v.sessionId;
  return { ok: true, board, dropped };
}
