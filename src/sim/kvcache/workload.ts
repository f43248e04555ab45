import { Rng } from './rng';
import type { TraceRequest } from './types';

export type WorkloadKind = 'chat' | 'uniform' | 'summarize';

export interface WorkloadSpec {
  kind: WorkloadKind;
  requests: number;
  /** Mean arrivals per second of a Poisson process. */
  ratePerS: number;
  seed: number;
  /** The model's context window: prompt + output never exceed it. */
  contextLen?: number;
}

export const CONTEXT_LEN = 2048;
/** Larger traces are refused: they would take seconds to simulate and megabytes to show. */
export const MAX_TRACE_REQUESTS = 20_000;

function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

function clampInt(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(x)));
}

/**
 * Seeded synthetic traces. 'chat' is long-tailed like ShareGPT conversations (the vLLM paper's
 * trace: mean input about 161, mean output about 338 tokens); 'summarize' has long prompts and
 * short answers; 'uniform' draws both lengths evenly, with no tail.
 * Every request may run to the context window (max_tokens = context - prompt), which is what a
 * reservation-based server has to plan for.
 */
export function syntheticTrace(spec: WorkloadSpec): TraceRequest[] {
  const ctx = spec.contextLen ?? CONTEXT_LEN;
  if (!Number.isInteger(spec.requests) || spec.requests < 1 || spec.requests > MAX_TRACE_REQUESTS)
    throw new RangeError(
      `Requests must be a whole number from 1 to ${MAX_TRACE_REQUESTS.toLocaleString('en-US')}; got ${spec.requests}.`,
    );
  if (!(spec.ratePerS > 0) || !Number.isFinite(spec.ratePerS))
    throw new RangeError(`Arrival rate must be a positive number of requests per second; got ${spec.ratePerS}.`);
  const rng = new Rng(spec.seed);
  const out: TraceRequest[] = [];
  let t = 0;
  for (let i = 0; i < spec.requests; i++) {
    t += rng.exponential(spec.ratePerS);
    let prompt: number;
    let output: number;
    if (spec.kind === 'chat') {
      prompt = clampInt(logNormal(rng, 100, 1.0), 4, ctx / 2);
      output = clampInt(logNormal(rng, 220, 0.9), 1, ctx - prompt);
    } else if (spec.kind === 'summarize') {
      prompt = clampInt(logNormal(rng, 900, 0.4), 64, ctx - 64);
      output = clampInt(logNormal(rng, 60, 0.5), 1, ctx - prompt);
    } else {
      prompt = rng.int(16, Math.min(512, ctx / 2));
      output = rng.int(16, Math.min(512, ctx - prompt));
    }
    out.push({ arrival: t, prompt, output, maxTokens: ctx - prompt });
  }
  return out;
}
