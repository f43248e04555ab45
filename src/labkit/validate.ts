import {
  defaults,
  type ParamNotice,
  type ParamSchema,
  type ParamsOf,
  type ParamSpec,
  type ParamValue,
  type ParamValues,
} from './schema';

/** Valid values typed by the schema (ParamsOf), and a notice for every value that was changed or ignored. */
export interface Validated<S extends ParamSchema = ParamSchema> {
  values: ParamsOf<S>;
  notices: ParamNotice[];
}

/** Echo user input back safely: short, and shown as text only (React escapes it). */
export function quote(raw: unknown): string {
  const s = String(raw);
  return JSON.stringify(s.length > 32 ? `${s.slice(0, 32)}…` : s);
}

function parseNumber(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string' || raw.trim() === '') return NaN;
  // Number() rather than parseFloat: "12abc" must be rejected, not read as 12.
  return Number(raw.trim());
}

/**
 * Validates one value against its spec: a valid value and, if it changed, why. A number outside
 * the range is refused, not clamped: clamping `n=1e12` to the maximum would quietly start the
 * heaviest setup a lab has, so it falls back to `fallback` (the lab's default, or for an edit the
 * value it had) and the notice says so.
 */
export function validateParam(
  spec: ParamSpec,
  raw: unknown,
  fallback: ParamValue = spec.default,
): { value: ParamValue; notice?: string } {
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const n = parseNumber(raw);
      if (!Number.isFinite(n))
        return { value: spec.default, notice: `${spec.label}: ${quote(raw)} is not a number; using ${spec.default}.` };
      let v = spec.kind === 'int' ? Math.round(n) : n;
      let notice: string | undefined;
      if (v !== n) notice = `${spec.label}: ${n} is not a whole number; using ${v}.`;
      if (v < spec.min || v > spec.max) {
        const back =
          typeof fallback === 'number' && fallback >= spec.min && fallback <= spec.max ? fallback : spec.default;
        const which = back === spec.default ? 'the default' : 'the value it had';
        notice = `${spec.label}: ${n} is outside ${spec.min}–${spec.max}${spec.unit ? ` ${spec.unit}` : ''}; using ${back} (${which}).`;
        v = back;
      }
      return { value: v, notice };
    }
    case 'enum': {
      const s = String(raw);
      if (spec.values.includes(s)) return { value: s };
      const renamed = Object.hasOwn(spec.aliases ?? {}, s) ? spec.aliases![s] : undefined;
      if (renamed !== undefined && spec.values.includes(renamed)) return { value: renamed };
      return {
        value: spec.default,
        notice: `${spec.label}: ${quote(raw)} is not one of ${spec.values.join(', ')}; using ${spec.default}.`,
      };
    }
    case 'text': {
      const s = typeof raw === 'string' ? raw : String(raw ?? '');
      if (s.length > spec.maxLength)
        return {
          value: spec.default,
          notice: `${spec.label}: ${s.length} characters, more than ${spec.maxLength}; using the default.`,
        };
      if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(s))
        return {
          value: spec.default,
          notice: `${spec.label}: ${quote(raw)} has characters it does not allow; using the default.`,
        };
      return { value: s };
    }
    case 'bool': {
      if (raw === true || raw === 'true' || raw === '1') return { value: true };
      if (raw === false || raw === 'false' || raw === '0') return { value: false };
      return {
        value: spec.default,
        notice: `${spec.label}: ${quote(raw)} is not true or false; using ${spec.default}.`,
      };
    }
  }
}

/**
 * Validates a partial set of raw values (from the URL, a scenario or a control) on top of `base`.
 * Unknown keys are ignored with a notice; nothing invalid survives into the result, which is why
 * it can be typed by the schema: every key is present (defaults fill the gaps) and every value is
 * one validateParam returned for that key's spec.
 */
export function validateParams<S extends ParamSchema>(
  schema: S,
  raw: Record<string, unknown>,
  base: Readonly<ParamValues> = defaults(schema),
): Validated<S> {
  const values: ParamValues = { ...defaults(schema), ...base };
  const notices: ParamNotice[] = [];
  const byKey = new Map(schema.map((s) => [s.key, s]));
  for (const [key, r] of Object.entries(raw)) {
    const spec = byKey.get(key);
    if (!spec) {
      notices.push({ key, message: `Ignored unknown parameter ${quote(key)}.` });
      continue;
    }
    const { value, notice } = validateParam(spec, r, values[key]);
    values[key] = value;
    if (notice) notices.push({ key, message: notice });
  }
  return { values: values as ParamsOf<S>, notices };
}
