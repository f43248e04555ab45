import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { parseBoard, type Parsed } from './validate';
import type { Board } from './types';

/**
 * A board travels in the URL fragment (`#board=…`), deflated and base64url-encoded: the fragment
 * never reaches a server, so a shared board stays between the two people who have the link.
 * Charts are re-drawn from their stored SVG; when the link would grow past LINK_LIMIT the charts
 * are left out (their tables and parameters stay) and the caller is told.
 */
export const LINK_LIMIT = 200_000;

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export interface Encoded {
  fragment: string;
  /** True when charts were left out to keep the link short enough. */
  chartsDropped: boolean;
}

export function encodeBoard(board: Board): Encoded {
  const pack = (b: Board) => `board=${toBase64Url(deflateSync(strToU8(JSON.stringify(b)), { level: 9 }))}`;
  const full = pack(board);
  if (full.length <= LINK_LIMIT) return { fragment: full, chartsDropped: false };
  const slim: Board = { ...board, items: board.items.filter((i) => i.table).map(({ svg: _svg, ...rest }) => ({ ...rest, kind: 'table' as const })) };
  return { fragment: pack(slim), chartsDropped: true };
}

/** Reads `#board=…` (with or without the '#'); a malformed link gives a message, never a throw. */
export function decodeBoard(fragment: string): Parsed | null {
  const m = /(?:^|[#&])board=([A-Za-z0-9_-]*)/.exec(fragment);
  if (!m) return null;
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(inflateSync(fromBase64Url(m[1]))));
  } catch {
    return { ok: false, message: 'The shared board in this link is damaged (it could not be decoded); nothing was loaded.' };
  }
  return parseBoard(json);
}
