import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { LIMIT_KEYS, type KeyLimits } from '../gpu/device';
import type { SelfTestReport, Status, VariantResult } from './types';

/**
 * A report in a link: the JSON deflated (fflate, as the catalog's config links) and base64url-
 * encoded, in the URL's fragment (#report=…), so it never reaches a server. A link is someone
 * else's input: decoding checks every field's type, range and length and rebuilds the report
 * from the checked values only, and the page shows it as text, never as markup.
 */

/** A link never carries more than this many encoded characters (a full report is ~5–8 K). */
export const MAX_ENCODED = 60_000;
const MAX_RESULTS = 1000;
const MAX_TEXT = 2000;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/** Four significant digits: a link's numbers need no more to reproduce a failure. */
function round(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? x : Number(x.toPrecision(4));
}

export function compactReport(r: SelfTestReport): SelfTestReport {
  return {
    ...r,
    results: r.results.map((v) => ({
      ...v,
      error: round(v.error),
      maxAbs: round(v.maxAbs),
      compileMs: round(v.compileMs),
      firstDispatchMs: round(v.firstDispatchMs),
      steadyMs: round(v.steadyMs),
      totalMs: round(v.totalMs) ?? 0,
      worst: v.worst ? { ...v.worst, got: round(v.worst.got), want: round(v.worst.want) } : null,
    })),
  };
}

export function encodeReport(r: SelfTestReport): string {
  return toBase64Url(deflateSync(strToU8(JSON.stringify(compactReport(r))), { level: 9 }));
}

export type Decoded = { ok: true; report: SelfTestReport } | { ok: false; problem: string };

/** The fragment's report (accepts the whole hash, "#report=…", or the encoded text alone). */
export function decodeReport(encoded: string): Decoded {
  const text = encoded.replace(/^#?(report=)?/, '');
  if (text.length > MAX_ENCODED)
    return { ok: false, problem: `the report in the link is ${text.length} characters, more than ${MAX_ENCODED}` };
  if (!/^[A-Za-z0-9_-]+$/.test(text))
    return { ok: false, problem: 'the report in the link has characters outside base64url' };
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(inflateSync(fromBase64Url(text))));
  } catch {
    return {
      ok: false,
      problem: 'the report in the link is damaged (it does not inflate to JSON); ask for the link again',
    };
  }
  return parseReport(json);
}

class Invalid extends Error {}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid(`${where} is not an object`);
  return v as Record<string, unknown>;
}
function str(v: unknown, where: string, max = MAX_TEXT): string {
  if (typeof v !== 'string') throw new Invalid(`${where} is not text`);
  if (v.length > max) throw new Invalid(`${where} is longer than ${max} characters`);
  return v;
}
function optStr(v: unknown, where: string): string | null {
  return v === null || v === undefined ? null : str(v, where);
}
function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid(`${where} is not a finite number`);
  return v;
}
function optNum(v: unknown, where: string): number | null {
  return v === null || v === undefined ? null : num(v, where);
}
function bool(v: unknown, where: string): boolean {
  if (typeof v !== 'boolean') throw new Invalid(`${where} is not true or false`);
  return v;
}
function strList(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.length > 200) throw new Invalid(`${where} is not a list of at most 200`);
  return v.map((s, i) => str(s, `${where}[${i}]`, 100));
}

const STATUSES: readonly Status[] = ['pass', 'fail', 'skip'];

function result(v: unknown, i: number): VariantResult {
  const w = `results[${i}]`;
  const o = obj(v, w);
  const status = str(o.status, `${w}.status`, 10) as Status;
  if (!STATUSES.includes(status)) throw new Invalid(`${w}.status is not pass, fail or skip`);
  const timing = optStr(o.timing, `${w}.timing`);
  if (timing !== null && timing !== 'timestamp' && timing !== 'wallclock')
    throw new Invalid(`${w}.timing is not timestamp or wallclock`);
  let worst: VariantResult['worst'] = null;
  if (o.worst !== null && o.worst !== undefined) {
    const x = obj(o.worst, `${w}.worst`);
    worst = {
      output: str(x.output, `${w}.worst.output`, 100),
      index: num(x.index, `${w}.worst.index`),
      got: optNum(x.got, `${w}.worst.got`),
      want: optNum(x.want, `${w}.worst.want`),
    };
  }
  const message = optStr(o.message, `${w}.message`);
  return {
    id: str(o.id, `${w}.id`, 200),
    family: str(o.family, `${w}.family`, 100),
    variant: str(o.variant, `${w}.variant`, 200),
    shape: str(o.shape, `${w}.shape`, 300),
    status,
    ...(message !== null ? { message } : {}),
    features: strList(o.features, `${w}.features`),
    tolerance: optNum(o.tolerance, `${w}.tolerance`),
    error: optNum(o.error, `${w}.error`),
    maxAbs: optNum(o.maxAbs, `${w}.maxAbs`),
    worst,
    compileMs: optNum(o.compileMs, `${w}.compileMs`),
    firstDispatchMs: optNum(o.firstDispatchMs, `${w}.firstDispatchMs`),
    steadyMs: optNum(o.steadyMs, `${w}.steadyMs`),
    timing: timing as VariantResult['timing'],
    totalMs: num(o.totalMs, `${w}.totalMs`),
  };
}

/** Checks an untrusted report (a link's or a pasted file's) and rebuilds it from checked values only. */
export function parseReport(json: unknown): Decoded {
  try {
    const o = obj(json, 'the report');
    if (o.format !== 1)
      throw new Invalid(`the report's format is ${JSON.stringify(o.format)?.slice(0, 20)}, this page reads format 1`);
    const app = obj(o.app, 'app');
    const a = obj(o.adapter, 'adapter');
    const lim = obj(a.limits, 'adapter.limits');
    const limits = {} as KeyLimits;
    for (const k of LIMIT_KEYS) limits[k] = num(lim[k], `adapter.limits.${k}`);
    let subgroupSizes: { min: number; max: number } | null = null;
    if (a.subgroupSizes !== null && a.subgroupSizes !== undefined) {
      const sg = obj(a.subgroupSizes, 'adapter.subgroupSizes');
      subgroupSizes = { min: num(sg.min, 'adapter.subgroupSizes.min'), max: num(sg.max, 'adapter.subgroupSizes.max') };
    }
    if (!Array.isArray(o.results) || o.results.length > MAX_RESULTS)
      throw new Invalid(`results is not a list of at most ${MAX_RESULTS}`);
    const results = o.results.map(result);
    const summary = { pass: 0, fail: 0, skip: 0 };
    // The counts are recomputed from the rows: a link cannot claim a pass its rows do not show.
    for (const r of results) summary[r.status]++;
    return {
      ok: true,
      report: {
        format: 1,
        app: {
          name: str(app.name, 'app.name', 100),
          version: str(app.version, 'app.version', 100),
          commit: optStr(app.commit, 'app.commit'),
        },
        environment: str(o.environment, 'environment', 500),
        driver: optStr(o.driver, 'driver'),
        startedAt: str(o.startedAt, 'startedAt', 40),
        durationMs: num(o.durationMs, 'durationMs'),
        adapter: {
          vendor: str(a.vendor, 'adapter.vendor', 200),
          architecture: str(a.architecture, 'adapter.architecture', 200),
          description: str(a.description, 'adapter.description', 500),
          name: str(a.name, 'adapter.name', 400),
          software: bool(a.software, 'adapter.software'),
          features: strList(a.features, 'adapter.features'),
          limits,
          subgroupSizes,
        },
        summary,
        results,
      },
    };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, problem: `the report is not valid: ${e.message}` };
    throw e;
  }
}
