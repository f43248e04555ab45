import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';
import { parseBoard, type Parsed } from './validate';
import { boardText } from './storage';
import type { Board } from './types';

/**
 * A board travels in the URL fragment (`#board=…`), deflated and base64url-encoded: the fragment
 * never reaches a server, so a shared board stays between the two people who have the link.
 * Charts are re-drawn from their stored SVG; when the link would grow past LINK_LIMIT the charts
 * are left out (their tables and parameters stay) and the caller is told.
 */
export const LINK_LIMIT = 200_000;

/**
 * Limits checked before any work, so a crafted link (a compression bomb, a huge fragment) is
 * refused in milliseconds with a message instead of freezing the page: the encoded board may be
 * at most MAX_LINK_CHARS long and may inflate to at most MAX_INFLATED bytes. Inflation streams in
 * small chunks and stops as soon as the output passes the limit.
 */
export const MAX_LINK_CHARS = 1_000_000;
export const MAX_INFLATED = 8 * 1024 * 1024;
const CHUNK = 1024;

class TooLarge extends Error {}

/** Inflates raw deflate data, refusing (TooLarge) as soon as the output would pass `max` bytes. */
export function inflateAtMost(data: Uint8Array, max: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inf = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > max) throw new TooLarge();
    parts.push(chunk);
    if (final) ended = true;
  });
  // One input chunk inflates to at most ~1 MiB (deflate's ratio is about 1032:1), so the check
  // above runs long before a bomb's output could fill memory.
  for (let i = 0; i < data.length; i += CHUNK) inf.push(data.subarray(i, i + CHUNK), i + CHUNK >= data.length);
  if (!data.length) inf.push(new Uint8Array(0), true);
  if (!ended) throw new Error('truncated');
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

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
  // Unread items stay in this browser; the link carries what the board shows.
  const bytes = (b: Board) => strToU8(boardText({ ...b, unread: undefined }));
  const pack = (raw: Uint8Array) => `board=${toBase64Url(deflateSync(raw, { level: 9 }))}`;
  const raw = bytes(board);
  const full = pack(raw);
  // Past either limit the receiving side would refuse it (decodeBoard): leave the charts out.
  if (full.length <= LINK_LIMIT && raw.length <= MAX_INFLATED) return { fragment: full, chartsDropped: false };
  const slim: Board = {
    ...board,
    items: board.items.filter((i) => i.table).map(({ svg: _svg, ...rest }) => ({ ...rest, kind: 'table' as const })),
  };
  return { fragment: pack(bytes(slim)), chartsDropped: true };
}

/** Reads `#board=…` (with or without the '#'); a malformed link gives a message, never a throw. */
export function decodeBoard(fragment: string): Parsed | null {
  const m = /(?:^|[#&])board=([A-Za-z0-9_-]*)/.exec(fragment);
  if (!m) return null;
  const unchanged = 'Nothing was loaded; your own board is unchanged.';
  if (m[1].length > MAX_LINK_CHARS)
    return {
      ok: false,
      message: `This link is too long to be a shared board (${m[1].length.toLocaleString('en')} characters; at most ${MAX_LINK_CHARS.toLocaleString('en')}). ${unchanged}`,
    };
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(inflateAtMost(fromBase64Url(m[1]), MAX_INFLATED)));
  } catch (e) {
    if (e instanceof TooLarge)
      return {
        ok: false,
        message: `The shared board in this link unpacks to more than ${MAX_INFLATED / 2 ** 20} MiB, more than any board holds, so it was not opened. ${unchanged}`,
      };
    return {
      ok: false,
      message: `The shared board in this link is damaged (part of it is missing or changed), so it could not be opened. ${unchanged}`,
    };
  }
  return parseBoard(json, 'link');
}
