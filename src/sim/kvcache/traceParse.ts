import { MAX_TRACE_REQUESTS } from './workload';
import type { TraceRequest } from './types';

/** Trace files larger than this are refused before parsing. */
export const MAX_TRACE_BYTES = 4 * 2 ** 20;

export class TraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceError';
  }
}

type Field = 'arrival' | 'prompt' | 'output' | 'max_tokens';
const ALIASES: Record<string, Field> = {
  arrival: 'arrival',
  arrival_s: 'arrival',
  time: 'arrival',
  prompt: 'prompt',
  prompt_tokens: 'prompt',
  input_tokens: 'prompt',
  output: 'output',
  output_tokens: 'output',
  max_tokens: 'max_tokens',
  maxtokens: 'max_tokens',
};

function field(where: string, name: string, raw: unknown, opts: { integer: boolean; min: number }): number {
  const x = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new TraceError(`${where}: field "${name}" is ${JSON.stringify(raw)}; expected a number.`);
  if (opts.integer && !Number.isInteger(x))
    throw new TraceError(`${where}: field "${name}" is ${x}; expected a whole number of tokens.`);
  if (x < opts.min) throw new TraceError(`${where}: field "${name}" is ${x}; expected at least ${opts.min}.`);
  return x;
}

function toRequest(where: string, rec: Record<string, unknown>, contextLen: number): TraceRequest {
  const arrival = field(where, 'arrival', rec.arrival, { integer: false, min: 0 });
  const prompt = field(where, 'prompt', rec.prompt, { integer: true, min: 1 });
  const output = field(where, 'output', rec.output, { integer: true, min: 1 });
  const cap =
    rec.max_tokens === undefined || rec.max_tokens === ''
      ? contextLen - prompt
      : field(where, 'max_tokens', rec.max_tokens, { integer: true, min: 1 });
  if (prompt + output > contextLen)
    throw new TraceError(
      `${where}: prompt ${prompt} + output ${output} tokens exceed the ${contextLen}-token context window.`,
    );
  if (output > cap) throw new TraceError(`${where}: output ${output} exceeds max_tokens ${cap}.`);
  if (prompt + cap > contextLen)
    throw new TraceError(
      `${where}: prompt ${prompt} + max_tokens ${cap} exceed the ${contextLen}-token context window.`,
    );
  return { arrival, prompt, output, maxTokens: cap };
}

function normaliseKeys(rec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    const name = ALIASES[k.trim().toLowerCase()];
    if (name) out[name] = v;
  }
  return out;
}

function checkCount(n: number): void {
  if (n === 0) throw new TraceError('The trace has no requests.');
  if (n > MAX_TRACE_REQUESTS)
    throw new TraceError(
      `The trace has ${n.toLocaleString('en-US')} requests; at most ${MAX_TRACE_REQUESTS.toLocaleString('en-US')} are simulated here.`,
    );
}

/**
 * Parses a trace from JSON (an array of {arrival, prompt, output, max_tokens?} or {requests: [...]})
 * or CSV (a header naming those columns). Every error names the line or entry and the field.
 * Requests are sorted by arrival, so files need not be.
 */
export function parseTrace(text: string, contextLen = 2048): TraceRequest[] {
  if (text.length > MAX_TRACE_BYTES)
    throw new TraceError(
      `The trace is ${(text.length / 2 ** 20).toFixed(1)} MiB; the limit is ${MAX_TRACE_BYTES / 2 ** 20} MiB.`,
    );
  const trimmed = text.trim();
  if (!trimmed) throw new TraceError('The trace file is empty.');
  const reqs =
    trimmed.startsWith('[') || trimmed.startsWith('{') ? parseJson(trimmed, contextLen) : parseCsv(trimmed, contextLen);
  return reqs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.arrival - b.r.arrival || a.i - b.i)
    .map((x) => x.r);
}

function parseJson(text: string, contextLen: number): TraceRequest[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new TraceError(`The trace is not valid JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(data) ? data : (data as { requests?: unknown }).requests;
  if (!Array.isArray(list))
    throw new TraceError('A JSON trace must be an array of requests or an object with a "requests" array.');
  checkCount(list.length);
  return list.map((rec, i) => {
    if (!rec || typeof rec !== 'object' || Array.isArray(rec))
      throw new TraceError(`request ${i + 1}: expected an object like {"arrival": 0.5, "prompt": 120, "output": 300}.`);
    return toRequest(`request ${i + 1}`, normaliseKeys(rec as Record<string, unknown>), contextLen);
  });
}

function parseCsv(text: string, contextLen: number): TraceRequest[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(',').map((h) => ALIASES[h.trim().toLowerCase()]);
  for (const need of ['arrival', 'prompt', 'output'] as const)
    if (!header.includes(need))
      throw new TraceError(
        `line 1: the CSV header must name the columns arrival, prompt, output (and optionally max_tokens); "${need}" is missing.`,
      );
  const rows: TraceRequest[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = lines[i].split(',');
    if (cells.length !== header.length)
      throw new TraceError(`line ${i + 1}: ${cells.length} fields, but the header has ${header.length}.`);
    const rec: Record<string, unknown> = {};
    header.forEach((h, j) => {
      if (h) rec[h] = cells[j].trim();
    });
    rows.push(toRequest(`line ${i + 1}`, rec, contextLen));
    if (rows.length > MAX_TRACE_REQUESTS) checkCount(rows.length);
  }
  checkCount(rows.length);
  return rows;
}

/** A trace as CSV text, the format `parseTrace` reads back. */
export function traceToCsv(reqs: TraceRequest[]): string {
  return [
    'arrival,prompt,output,max_tokens',
    ...reqs.map((r) => `${r.arrival.toFixed(4)},${r.prompt},${r.output},${r.maxTokens}`),
  ].join('\n');
}
