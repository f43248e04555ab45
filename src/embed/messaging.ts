/**
 * The widget's postMessage protocol, DOM-free so it is tested in Node.
 *
 * Outgoing, to the parent page: { type: 'gpu-playground:height', height, scenario }. It carries
 * nothing private (a pixel height and a public scenario id), so by default it goes to any parent
 * ('*'): a blog's origin is not known in advance. A page that wants delivery restricted passes its
 * origin as `?parentOrigin=https://blog.example` and only that origin receives it.
 *
 * Incoming: ignored unless it comes from the parent window, from an allowed origin (this widget's
 * own origin, or the `parentOrigin` given) and is one of two known shapes:
 *   { type: 'gpu-playground:step', step: n }     go to step n (1-based) of the scenario
 *   { type: 'gpu-playground:request-height' }   post the height again now
 */
export const HEIGHT = 'gpu-playground:height';

export type Incoming = { type: 'step'; step: number } | { type: 'request-height' };

/** An origin exactly as `URL.origin` would print it, or null for anything else ("*", paths, junk). */
export function parseOrigin(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return u.origin === raw.replace(/\/$/, '') ? u.origin : null;
  } catch {
    return null;
  }
}

export function targetOrigin(parentOrigin: string | null): string {
  return parseOrigin(parentOrigin) ?? '*';
}

export function allowedOrigins(selfOrigin: string, parentOrigin: string | null): string[] {
  const p = parseOrigin(parentOrigin);
  return p && p !== selfOrigin ? [selfOrigin, p] : [selfOrigin];
}

/** Reads an incoming message; null for anything not from an allowed origin or not exactly a known shape. */
export function readIncoming(origin: string, data: unknown, allowed: readonly string[]): Incoming | null {
  if (!allowed.includes(origin)) return null;
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  if (d.type === 'gpu-playground:request-height') return { type: 'request-height' };
  if (
    d.type === 'gpu-playground:step' &&
    typeof d.step === 'number' &&
    Number.isInteger(d.step) &&
    d.step >= 1 &&
    d.step <= 1000
  )
    return { type: 'step', step: d.step };
  return null;
}

export function heightMessage(
  height: number,
  scenario: string | null,
): { type: typeof HEIGHT; height: number; scenario: string | null } {
  return { type: HEIGHT, height: Math.max(0, Math.ceil(height)), scenario };
}
