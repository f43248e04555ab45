/**
 * The evidence board: what a candidate pinned from the labs to argue an answer from their own
 * measurements. Pure data, stored in the browser, carried in share links and exports.
 */
export type ParamRecord = Record<string, number | string | boolean>;

/** How a pinned figure came about; every view of the board says it next to the item. */
export type EvidenceSource = 'measured' | 'simulated' | 'replayed';

export interface EvidenceTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface EvidenceItem {
  /** Unique within a board. */
  id: string;
  /** The lab id and the full parameter set the item was produced with: the state that re-runs it. */
  lab: string;
  labTitle: string;
  params: ParamRecord;
  kind: 'table' | 'chart';
  /** The table caption or chart title as the lab showed it. */
  title: string;
  /** "vendor/architecture" of the adapter, or null for a simulation that used none. */
  adapter: string | null;
  source: EvidenceSource;
  /** ISO date and time of pinning. */
  pinnedAt: string;
  table?: EvidenceTable;
  /** The chart as standalone SVG text (styles inlined), for the board, presenter and exports. */
  svg?: string;
  /** The candidate's own words about this item. */
  note?: string;
  /** Added from someone's share link: its values were measured or simulated elsewhere, and every view says so. */
  fromLink?: true;
}

export const BOARD_VERSION = 2;

export interface Board {
  version: typeof BOARD_VERSION;
  items: EvidenceItem[];
  /** The interview session the candidate is working through, if any. */
  sessionId?: string;
  /**
   * Stored items this version cannot read (a newer kind, a damaged field, beyond the 500 shown):
   * kept verbatim and written back after the readable items on every save, never dropped.
   */
  unread?: unknown[];
}

export function emptyBoard(): Board {
  return { version: BOARD_VERSION, items: [] };
}
