import { strFromU8, strToU8, deflateSync, inflateSync } from 'fflate';

/**
 * The user's kernel survives reloads and crashes (localStorage, per exercise) and travels in
 * share links (the URL hash, deflated and base64url-encoded, tagged with the exercise id). The
 * hash keeps it out of the query string, which holds the lab's validated parameters.
 */
const PREFIX = 'gpu-playground:workbench:';
const HASH_KEY = 'wb';
/** Browsers and chat apps start truncating URLs around here; longer kernels stay local only. */
const MAX_HASH_CHARS = 16_000;

export function loadLocal(exercise: string): string | null {
  try {
    return localStorage.getItem(PREFIX + exercise);
  } catch {
    return null;
  }
}

export function saveLocal(exercise: string, code: string): void {
  try {
    localStorage.setItem(PREFIX + exercise, code);
  } catch {
    // Private mode or a full quota: the share link still carries the code.
  }
}

export function clearLocal(exercise: string): void {
  try {
    localStorage.removeItem(PREFIX + exercise);
  } catch {
    /* nothing stored */
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function encodeCode(exercise: string, code: string): string {
  return `${exercise}.${toBase64Url(deflateSync(strToU8(code), { level: 9 }))}`;
}

/** The code in a hash value, if it is for this exercise and decodes; anything malformed is ignored. */
export function decodeCode(exercise: string, value: string): string | null {
  const dot = value.indexOf('.');
  if (dot < 0 || value.slice(0, dot) !== exercise) return null;
  try {
    return strFromU8(inflateSync(fromBase64Url(value.slice(dot + 1))));
  } catch {
    return null;
  }
}

export function codeFromHash(exercise: string, hash: string): string | null {
  const v = new URLSearchParams(hash.replace(/^#/, '')).get(HASH_KEY);
  return v ? decodeCode(exercise, v) : null;
}

/** Writes the code into the current URL's hash without a history entry. */
export function writeHash(exercise: string, code: string): void {
  const value = encodeCode(exercise, code);
  const hash = value.length <= MAX_HASH_CHARS ? `#${HASH_KEY}=${value}` : '';
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`)
    window.history.replaceState(window.history.state, '', url);
}
