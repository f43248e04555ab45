import type { ParamSchema, ParamValues } from './schema';

/** The URL holds the lab id and every parameter that differs from its default, so links stay short. */
export interface UrlState {
  lab: string | null;
  scenario: string | null;
  raw: Record<string, string>;
}

const RESERVED = new Set(['lab', 'scenario', 'step']);

export function parseUrl(search: string): UrlState {
  const q = new URLSearchParams(search);
  const raw: Record<string, string> = {};
  for (const [k, v] of q) if (!RESERVED.has(k)) raw[k] = v;
  return { lab: q.get('lab'), scenario: q.get('scenario'), raw };
}

export function serializeParams(schema: ParamSchema, values: ParamValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of schema) {
    const v = values[spec.key];
    if (v !== undefined && v !== spec.default) out[spec.key] = String(v);
  }
  return out;
}

export function labUrl(labId: string, schema: ParamSchema, values: ParamValues, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ lab: labId, ...extra, ...serializeParams(schema, values) });
  return `?${q.toString()}`;
}
