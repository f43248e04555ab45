import type { ParamSchema, ParamValues } from './schema';

/** The URL holds the lab id and every parameter that differs from its default, so links stay short. */
export interface UrlState {
  lab: string | null;
  scenario: string | null;
  raw: Record<string, string>;
  /** What in the query was refused before any work (too many parameters, a value too long), in words. */
  notices: string[];
}

const RESERVED = new Set(['lab', 'scenario', 'step']);

/**
 * Limits on a query string, checked before anything reads the values: no lab has more than a few
 * dozen parameters, and no parameter value (a number, an enum, an id) needs more than a few dozen
 * characters. A crafted link with 200,000 keys or a 5 MB value is cut short with a notice.
 */
export const MAX_PARAM_KEYS = 100;
export const MAX_PARAM_VALUE = 256;
/**
 * The one kind of setting that needs more: a 'text' parameter holding a compressed config.json
 * (src/catalog/share.ts), at most 2,000 base64url characters in every lab. Only a value made of that
 * alphabet alone may run to this length; the text spec's own maxLength and pattern still decide.
 */
export const MAX_TEXT_VALUE = 2048;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const short = (s: string) => JSON.stringify(s.length > 32 ? `${s.slice(0, 32)}…` : s);

export function parseUrl(search: string): UrlState {
  const q = new URLSearchParams(search);
  const raw: Record<string, string> = {};
  const notices: string[] = [];
  let lab: string | null = null;
  let scenario: string | null = null;
  let keys = 0;
  let tooLong = 0;
  let firstLong = '';
  for (const [k, v] of q) {
    if (++keys > MAX_PARAM_KEYS) {
      notices.push(`This link has more than ${MAX_PARAM_KEYS} parameters; only the first ${MAX_PARAM_KEYS} were read.`);
      break;
    }
    const longText = v.length <= MAX_TEXT_VALUE && BASE64URL.test(v);
    if (k.length > MAX_PARAM_VALUE || (v.length > MAX_PARAM_VALUE && !longText)) {
      if (!tooLong++) firstLong = k;
      continue;
    }
    if (k === 'lab') lab ??= v;
    else if (k === 'scenario') scenario ??= v;
    else if (!RESERVED.has(k)) raw[k] = v;
  }
  if (tooLong)
    notices.push(
      `Ignored ${tooLong === 1 ? `parameter ${short(firstLong)}` : `${tooLong} parameters (the first ${short(firstLong)})`}: longer than ${MAX_PARAM_VALUE} characters, more than any setting needs.`,
    );
  return { lab, scenario, raw, notices };
}

export function serializeParams(schema: ParamSchema, values: ParamValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of schema) {
    const v = values[spec.key];
    if (v !== undefined && v !== spec.default) out[spec.key] = String(v);
  }
  return out;
}

export function labUrl(
  labId: string,
  schema: ParamSchema,
  values: ParamValues,
  extra: Record<string, string> = {},
): string {
  const q = new URLSearchParams({ lab: labId, ...extra, ...serializeParams(schema, values) });
  return `?${q.toString()}`;
}
