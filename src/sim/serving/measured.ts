import type { ModelProfile, StepWork } from '../kvcache/costModel';

/**
 * A served model's measured step costs as the serving simulator's cost model: the Serve lab times
 * its model's prefill per prompt token and one decode step at several batch sizes on this page,
 * and "P99 vs QPS" is then simulated with those times instead of the roofline on datasheet peaks.
 *
 * The mapping (tested against hand numbers in test/sim/serving-measured.test.ts):
 *   step seconds = prefill tokens × prefillSPerToken + decode(b),
 * where b is the step's decoding sequences and decode(b) interpolates the measured (batch, seconds)
 * points linearly, extends the last segment's slope past the largest measured batch, and is 0 at
 * b = 0. Swapping costs nothing (a tiny model's KV is never swapped). The decode times are at the
 * context the Serve lab measured (contextTokens); longer contexts are not extrapolated.
 */
export interface MeasuredModelCost {
  model: {
    name: string;
    parameters: number;
    layers: number;
    dModel: number;
    heads: number;
    context: number;
    /** K and V of every layer per token, at the bytes per value the serving path keeps. */
    kvBytesPerToken: number;
    weightBytes: number;
  };
  /** Where the times were taken: the adapter's name, or "this page's CPU" for the CPU path. */
  adapter: string;
  /** What ran: "float64 CPU forward" or the GPU path's name. */
  path: string;
  /** ISO 8601 time of the measurement. */
  measuredAt: string;
  prefillSPerToken: number;
  /** One decode step's seconds by batch size, ascending batch, at least one point. */
  decodeStepS: { batch: number; seconds: number }[];
  contextTokens: number;
}

export class MeasuredCostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeasuredCostError';
  }
}

const positive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** Checks the fields the mapping relies on; returns the cost or throws MeasuredCostError naming the field. */
export function validateMeasured(m: unknown): MeasuredModelCost {
  const c = m as MeasuredModelCost;
  if (!c || typeof c !== 'object') throw new MeasuredCostError('The measured cost model is not an object.');
  if (typeof c.adapter !== 'string' || typeof c.path !== 'string' || typeof c.measuredAt !== 'string')
    throw new MeasuredCostError('The measured cost model does not say where and when it was measured.');
  if (!c.model || typeof c.model.name !== 'string')
    throw new MeasuredCostError('The measured cost model does not name its model.');
  for (const k of ['parameters', 'layers', 'dModel', 'heads', 'context', 'kvBytesPerToken', 'weightBytes'] as const)
    if (!positive(c.model[k])) throw new MeasuredCostError(`The measured model's ${k} must be a positive number.`);
  if (!positive(c.prefillSPerToken)) throw new MeasuredCostError('The measured prefill time per token must be > 0.');
  if (!positive(c.contextTokens)) throw new MeasuredCostError('The measured context must be > 0 tokens.');
  if (!Array.isArray(c.decodeStepS) || c.decodeStepS.length === 0)
    throw new MeasuredCostError('The measured cost model has no decode step time.');
  let prev = 0;
  for (const p of c.decodeStepS) {
    if (!Number.isInteger(p?.batch) || p.batch <= prev || !positive(p.seconds))
      throw new MeasuredCostError(
        'Decode step times must be positive, at whole batch sizes in ascending order without repeats.',
      );
    prev = p.batch;
  }
  return c;
}

/** Seconds of one decode step of b sequences, from the measured points (see the file's comment). */
export function measuredDecodeSeconds(b: number, m: MeasuredModelCost): number {
  if (b <= 0) return 0;
  const pts = m.decodeStepS;
  if (pts.length === 1) return (pts[0].seconds * b) / pts[0].batch;
  // Below the first point, the line from (0, 0) would say an idle batch costs nothing but a step's
  // fixed cost is real: use the first segment's line, as past the last.
  let i = pts.findIndex((p) => p.batch >= b);
  if (i === -1) i = pts.length - 1;
  if (i === 0) i = 1;
  const a = pts[i - 1];
  const c = pts[i];
  const slope = (c.seconds - a.seconds) / (c.batch - a.batch);
  return Math.max(0, a.seconds + slope * (b - a.batch));
}

export function measuredStepSeconds(w: StepWork, m: MeasuredModelCost): number {
  return w.prefillTokens * m.prefillSPerToken + measuredDecodeSeconds(w.decodeTokens, m);
}

/**
 * The simulator's ModelProfile for a measured model: its step times come from `measured`
 * (stepSeconds defers to measuredStepSeconds); the rates are the effective ones the measurement
 * implies, so MFU-like figures read "of the measured prefill rate", not of a datasheet peak.
 */
export function measuredProfile(m: MeasuredModelCost): ModelProfile {
  const one = m.decodeStepS[0];
  return {
    name: `${m.model.name}, step times measured on ${m.adapter}`,
    params: m.model.parameters,
    weightBytes: m.model.weightBytes,
    kvBytesPerToken: m.model.kvBytesPerToken,
    memBytesPerS: (m.model.weightBytes * one.batch) / one.seconds,
    flopsPerS: (2 * m.model.parameters) / m.prefillSPerToken,
    swapBytesPerS: Infinity,
    overheadS: 0,
    measured: m,
  };
}

/** "measured on <adapter> at <time>, Serve lab": where every simulated figure's step time came from. */
export function measuredSource(m: MeasuredModelCost): string {
  const at = m.measuredAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  return `measured on ${m.adapter} (${m.path}) at ${at}, Serve lab`;
}

// The URL form: base64url of the JSON, so a link carries the cost model it was simulated with.

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function encodeMeasured(m: MeasuredModelCost): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(m)));
}

export function decodeMeasured(s: string): MeasuredModelCost {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(s)));
  } catch {
    throw new MeasuredCostError('The measured cost model in the link is damaged (not base64url JSON).');
  }
  return validateMeasured(parsed);
}
