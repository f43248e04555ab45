import { Rng } from '../kvcache/rng';
import { syntheticTrace, MAX_TRACE_REQUESTS } from '../kvcache/workload';
import type { TraceRequest } from '../kvcache/types';

/** A run of prompt tokens from one source: token i of the run is tokenOf(src, i). */
export interface Segment {
  src: number;
  len: number;
}

/** One request as the serving engine sees it. Times in seconds, lengths in tokens. */
export interface ServeRequest {
  id: number;
  arrival: number;
  /** All prompt tokens (shared system prompt and chat history included). */
  prompt: number;
  output: number;
  /** 0 = interactive (served first under the priority policy), 1 = batch. */
  priority: number;
  /** The prompt's tokens as runs from sources, so prefix caching can hash real content. */
  segs: Segment[];
  /** Source of the generated tokens (a later turn of the same chat quotes them). */
  outSrc: number;
}

export type MixKind = 'chat' | 'uniform' | 'summarize' | 'multiturn';
export type ArrivalProcess = 'poisson' | 'gamma' | 'trace';

export interface WorkloadSpec {
  mix: MixKind;
  requests: number;
  /** Shared system prompt tokens in front of every request (0 = none). */
  systemPrompt: number;
  /** Share of requests with priority 0 (interactive). */
  highPriorityShare: number;
  arrivals: ArrivalProcess;
  /** Coefficient of variation of inter-arrival gaps for 'gamma' (1 = Poisson, > 1 = bursty). */
  cv: number;
  seed: number;
  /** For arrivals 'trace': the parsed trace; its lengths replace the mix. */
  trace?: TraceRequest[];
}

export const SYSTEM_SRC = 1;
const MAX_HISTORY = 3000;
/** Active chats a multi-turn stream interleaves: the distance between turns of one chat. */
const ACTIVE_CHATS = 48;

/** Token id of position `i` of source `src`: a 32-bit mix, so different sources share no blocks. */
export function tokenOf(src: number, i: number): number {
  let h = Math.imul(src ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(i + 0x632be5ab, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae3d);
  return (h ^ (h >>> 13)) | 0;
}

/** Gamma(shape k, scale 1/k) has mean 1 and CV 1/sqrt(k) (Marsaglia and Tsang 2000). */
function gammaUnitMean(rng: Rng, k: number): number {
  if (k < 1) return gammaUnitMean(rng, k + 1) * Math.pow(Math.max(rng.next(), 1e-12), 1 / k) * ((k + 1) / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return (d * v) / k;
  }
}

function clampInt(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(x)));
}

export function validateWorkload(w: WorkloadSpec): void {
  if (!Number.isInteger(w.requests) || w.requests < 1 || w.requests > MAX_TRACE_REQUESTS)
    throw new RangeError(
      `Requests must be a whole number from 1 to ${MAX_TRACE_REQUESTS.toLocaleString('en-US')}; got ${w.requests}.`,
    );
  if (!(w.cv > 0) || w.cv > 10)
    throw new RangeError(`Burstiness (CV of gaps) must be above 0 and at most 10; got ${w.cv}.`);
  if (!Number.isInteger(w.systemPrompt) || w.systemPrompt < 0 || w.systemPrompt > 8192)
    throw new RangeError(`System prompt must be 0 to 8192 tokens; got ${w.systemPrompt}.`);
  if (!(w.highPriorityShare >= 0 && w.highPriorityShare <= 1))
    throw new RangeError(`Interactive share must be from 0 to 1; got ${w.highPriorityShare}.`);
  if (w.arrivals === 'trace' && !w.trace?.length)
    throw new RangeError('Arrivals "trace" needs a trace file: drop one in the trace box first.');
}

/**
 * The workload at a mean rate of 1 request/s. A QPS sweep scales these arrival times by 1/QPS, so
 * every point sees the same requests in the same order with the same relative gaps (common random
 * numbers): latency differences between points come from load alone, not from a new draw.
 */
export function unitWorkload(w: WorkloadSpec): ServeRequest[] {
  validateWorkload(w);
  const rng = new Rng(w.seed * 7919 + 17);
  const pri = new Rng(w.seed * 104729 + 3);
  const out: ServeRequest[] = [];
  const sys: Segment[] = w.systemPrompt > 0 ? [{ src: SYSTEM_SRC, len: w.systemPrompt }] : [];
  const sysLen = w.systemPrompt;
  // A one-turn request: the shared system prompt, then its own prompt tokens.
  const single = (id: number, arrival: number, r: { prompt: number; output: number }): ServeRequest => ({
    id,
    arrival,
    prompt: sysLen + r.prompt,
    output: r.output,
    priority: pri.next() < w.highPriorityShare ? 0 : 1,
    segs: [...sys, { src: 1000 + 2 * id, len: r.prompt }],
    outSrc: 1001 + 2 * id,
  });

  if (w.arrivals === 'trace') {
    const tr = w.trace!.slice(0, w.requests);
    const t0 = tr[0].arrival;
    const span = tr[tr.length - 1].arrival - t0;
    // A trace's own mean rate becomes 1 req/s; its shape (bursts, lulls) is kept.
    const scale = tr.length > 1 && span > 0 ? (tr.length - 1) / span : 1;
    tr.forEach((r, id) => out.push(single(id, (r.arrival - t0) * scale, r)));
    return out;
  }

  const k = 1 / (w.cv * w.cv);
  let t = 0;
  const gap = () => (w.arrivals === 'gamma' ? gammaUnitMean(rng, k) : rng.exponential(1));

  if (w.mix === 'multiturn') {
    const lens = new Rng(w.seed * 31 + 5);
    interface Chat {
      segs: Segment[];
      len: number;
      turnsLeft: number;
    }
    const active: Chat[] = [];
    for (let id = 0; id < w.requests; id++) {
      t += gap();
      // A new chat when too few are open or by chance (mean 4 turns per chat).
      let chat: Chat;
      if (active.length < ACTIVE_CHATS && (active.length === 0 || lens.next() < 0.25)) {
        chat = {
          segs: [...sys],
          len: sysLen,
          turnsLeft: 1 + Math.floor(-Math.log(Math.max(1 - lens.next(), 1e-12)) * 4),
        };
        active.push(chat);
      } else chat = active[Math.floor(lens.next() * active.length)];
      const user = clampInt(60 * Math.exp(0.8 * lens.normal()), 4, 800);
      const output = clampInt(180 * Math.exp(0.7 * lens.normal()), 1, 800);
      const segs = [...chat.segs, { src: 1000 + 2 * id, len: user }];
      const prompt = chat.len + user;
      out.push({
        id,
        arrival: t,
        prompt,
        output,
        priority: pri.next() < w.highPriorityShare ? 0 : 1,
        segs,
        outSrc: 1001 + 2 * id,
      });
      chat.segs = [...segs, { src: 1001 + 2 * id, len: output }];
      chat.len = prompt + output;
      chat.turnsLeft--;
      if (chat.turnsLeft <= 0 || chat.len > MAX_HISTORY) active.splice(active.indexOf(chat), 1);
    }
    return out;
  }

  // Lengths from the KV-cache lab's synthetic mixes (ShareGPT-like chat, summarize, uniform).
  const lengths = syntheticTrace({ kind: w.mix, requests: w.requests, ratePerS: 1, seed: w.seed });
  lengths.forEach((r, id) => {
    t += gap();
    out.push(single(id, t, r));
  });
  return out;
}

/** The unit-rate workload at `qps` requests per second (arrival times divided by qps). */
export function atRate(unit: readonly ServeRequest[], qps: number): ServeRequest[] {
  if (!(qps > 0) || !Number.isFinite(qps)) throw new RangeError(`QPS must be a positive number; got ${qps}.`);
  return unit.map((r) => ({ ...r, arrival: r.arrival / qps }));
}
