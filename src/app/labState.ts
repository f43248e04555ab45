import { useShallow } from 'zustand/react/shallow';
import type { ParamNotice, ParamSchema, ParamValues } from '../labkit/schema';
import { defaults } from '../labkit/schema';
import type { LabMeta } from '../labkit/contract';
import { labUrl } from '../labkit/url';
import { validateParams } from '../labkit/validate';
import { EMPTY_RESULT, appStore, useApp, type LabResult } from '../store';
import { navigate } from './router';
import { scenarioLinkFor } from './scenarioLink';

/** Validates raw values (URL, scenario, control), clamps them to the device, stores them. */
export function applyParams(
  meta: LabMeta,
  raw: Record<string, unknown>,
  opts: { base?: ParamValues; keepNotices?: boolean } = {},
): ParamNotice[] {
  const st = appStore.getState();
  const base = opts.base ?? st.params[meta.id] ?? defaults(meta.schema);
  const v = validateParams(meta.schema, raw, base);
  let { values } = v;
  const notices = [...v.notices];
  if (meta.clampToDevice && st.gpuInfo) {
    const c = meta.clampToDevice(values, st.gpuInfo);
    values = c.values;
    notices.push(...c.notices);
  }
  // An earlier notice still explains a value only while the user has not touched it and it has not
  // changed since; a control the user just set speaks for itself (or gets a fresh notice).
  const before = st.params[meta.id] ?? {};
  const kept = opts.keepNotices
    ? (st.notices[meta.id] ?? []).filter(
        (k) => !(k.key in raw) && before[k.key] === values[k.key] && !notices.some((n) => n.key === k.key),
      )
    : [];
  st.setLabParams(meta.id, values, [...kept, ...notices]);
  return notices;
}

let lastPush = 0;

/**
 * Mirrors a lab's parameters into the URL. Edits push a history entry, so Back undoes them, but a
 * burst of edits (a slider drag) within a second collapses into one entry.
 */
export function syncUrl(meta: LabMeta, extra: Record<string, string> = {}): void {
  const values = appStore.getState().params[meta.id];
  if (!values) return;
  const now = Date.now();
  navigate(
    scenarioLinkFor(meta, values) ?? labUrl(meta.id, meta.schema, values, extra),
    now - lastPush > 1000 ? 'push' : 'replace',
  );
  lastPush = now;
}

export function paramsKey(values: ParamValues | undefined): string {
  return JSON.stringify(values ?? {});
}

/** The values a lab's run depends on: all but those its view runs by itself (placement 'view'). */
export function runKey(values: ParamValues | undefined, schema: ParamSchema): string {
  const own = new Set(schema.filter((s) => s.placement === 'view').map((s) => s.key));
  return paramsKey(Object.fromEntries(Object.entries(values ?? {}).filter(([k]) => !own.has(k))));
}

export function useLabParams(labId: string): ParamValues {
  return useApp(useShallow((s) => s.params[labId] ?? {}));
}

export function useLabNotices(labId: string): ParamNotice[] {
  return useApp((s) => s.notices[labId]) ?? [];
}

export function useLabResult<T>(labId: string): LabResult<T> {
  return (useApp((s) => s.results[labId]) ?? EMPTY_RESULT) as LabResult<T>;
}

/** True when the shown result was measured with other parameters than the current ones. */
export function useIsStale(labId: string, schema: ParamSchema): boolean {
  return useApp((s) => {
    const r = s.results[labId];
    return Boolean(r?.paramsKey && r.paramsKey !== runKey(s.params[labId], schema));
  });
}
