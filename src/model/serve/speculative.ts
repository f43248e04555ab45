import { Rng } from '../rng';
import { ArrayKv, cachedForward, type ServeModel } from './cachedForward';
import { distribution, draw, validateSampling, type Sampling } from './sampling';

/**
 * Speculative decoding with a real draft (Leviathan, Kalman & Matias, ICML 2023; Chen et al.
 * 2023): the draft writes γ tokens one at a time, the target scores all of them in one forward of
 * γ+1 tokens, and draft token i is kept with probability min(1, p_i(x)/q_i(x)); at the first
 * rejection a token is drawn from norm(max(0, p_i − q_i)), and when all γ are kept one more comes
 * from p_{γ+1}. The tokens written are then distributed exactly as the target's own samples; with
 * temperature 0 both distributions are one-hot and the output is the target's greedy text.
 */

export interface SpeculativeStats {
  gamma: number;
  /** Target forwards (verifications, plus the prompt's prefill, which is not counted here). */
  targetPasses: number;
  /** Draft forwards, including the extra one that caches the last draft token when all γ are kept. */
  draftPasses: number;
  /** Per draft position i (0-based): proposals verified there and proposals kept. */
  proposed: number[];
  accepted: number[];
  /** Σ over verified proposals of Σ_v min(p(v), q(v)): the expected acceptance, Leviathan's β. */
  betaSum: number;
  /** Tokens written per verification: histogram[t − 1] counts verifications that wrote t tokens. */
  histogram: number[];
  /** Tokens written by verifications (before trimming to maxNew). */
  written: number;
}

export function emptyStats(gamma: number): SpeculativeStats {
  return {
    gamma,
    targetPasses: 0,
    draftPasses: 0,
    proposed: new Array<number>(gamma).fill(0),
    accepted: new Array<number>(gamma).fill(0),
    betaSum: 0,
    histogram: new Array<number>(gamma + 1).fill(0),
    written: 0,
  };
}

/** Overall α: kept proposals over verified ones. */
export function acceptanceRate(s: SpeculativeStats): number {
  const p = s.proposed.reduce((a, b) => a + b, 0);
  return p ? s.accepted.reduce((a, b) => a + b, 0) / p : 0;
}

/** Mean expected acceptance (β averaged over verified proposals). */
export function meanBeta(s: SpeculativeStats): number {
  const p = s.proposed.reduce((a, b) => a + b, 0);
  return p ? s.betaSum / p : 0;
}

/** Tokens per verification and its standard error (from the histogram). */
export function tokensPerPass(s: SpeculativeStats): { mean: number; stdError: number } {
  const n = s.histogram.reduce((a, b) => a + b, 0);
  if (!n) return { mean: 0, stdError: 0 };
  let sum = 0;
  let sq = 0;
  s.histogram.forEach((c, i) => {
    sum += c * (i + 1);
    sq += c * (i + 1) ** 2;
  });
  const mean = sum / n;
  return { mean, stdError: Math.sqrt(Math.max(0, sq / n - mean * mean) / n) };
}

export interface SpeculativeResult {
  tokens: number[];
  stats: SpeculativeStats;
}

/**
 * What the algorithm asks of a model's cache, one request at a time: run tokens after the cached
 * ones (caching them, returning their logits [n, V]), or cut the cache back to `len` tokens. The
 * CPU driver answers synchronously from ArrayKv + cachedForward; the GPU driver awaits
 * GpuSequence (./gpuForward.ts). Both drive the same generator, so the two paths cannot drift.
 */
export type CacheRequest =
  { model: 'target' | 'draft'; run: number[] } | { model: 'target' | 'draft'; truncate: number; run?: undefined };

function checkArgs(
  tc: { vocab: number; context: number },
  dc: { vocab: number; context: number },
  prompt: number[],
  maxNew: number,
  gamma: number,
  sampling: Sampling,
  stats: SpeculativeStats,
): void {
  validateSampling(sampling);
  if (dc.vocab !== tc.vocab)
    throw new RangeError(`the draft's vocabulary (${dc.vocab}) differs from the target's (${tc.vocab}).`);
  if (!Number.isInteger(gamma) || gamma < 1)
    throw new RangeError(`draft length γ must be a whole number ≥ 1 (got ${gamma}).`);
  if (stats.gamma !== gamma) throw new RangeError(`stats were collected for γ = ${stats.gamma}, not ${gamma}.`);
  const need = prompt.length + maxNew + gamma;
  for (const [name, c] of [
    ['target', tc],
    ['draft', dc],
  ] as const)
    if (need > c.context)
      throw new RangeError(`the ${name}'s context of ${c.context} is shorter than prompt + new tokens + γ = ${need}.`);
}

/** The algorithm, as requests to the two caches; returns the tokens. */
function* speculativeSteps(
  V: number,
  prompt: number[],
  maxNew: number,
  gamma: number,
  sampling: Sampling,
  rng: Rng,
  stats: SpeculativeStats,
): Generator<CacheRequest, number[], Float64Array> {
  // Prefill both with all but the last prompt token; the last one is the first token each step feeds.
  const head = prompt.slice(0, -1);
  let base = head.length;
  if (head.length) {
    yield { model: 'target', run: head };
    yield { model: 'draft', run: head };
  }
  const out: number[] = [];
  let pending = prompt[prompt.length - 1];
  while (out.length < maxNew) {
    // Draft: γ proposals, each fed back to the draft.
    const xs: number[] = [];
    const qs: Float64Array[] = [];
    let feed = pending;
    for (let i = 0; i < gamma; i++) {
      const logits = yield { model: 'draft', run: [feed] };
      stats.draftPasses++;
      const q = distribution(logits, 0, V, sampling);
      const x = sampling.temperature === 0 ? q.indexOf(1) : draw(q, rng);
      xs.push(x);
      qs.push(q);
      feed = x;
    }
    // Target: one forward over the pending token and the γ proposals.
    const ver = yield { model: 'target', run: [pending, ...xs] };
    stats.targetPasses++;
    let kept = 0;
    let next = -1;
    for (let i = 0; i < gamma; i++) {
      const p = distribution(ver, i * V, V, sampling);
      const q = qs[i];
      let beta = 0;
      for (let v = 0; v < V; v++) beta += Math.min(p[v], q[v]);
      stats.betaSum += beta;
      stats.proposed[i]++;
      const x = xs[i];
      const keep = sampling.temperature === 0 ? p[x] === 1 : rng.next() < Math.min(1, p[x] / q[x]);
      if (keep) {
        stats.accepted[i]++;
        kept++;
        continue;
      }
      // Residual distribution max(0, p − q), renormalised (β > 0 < 1 here, so it has mass).
      const r = new Float64Array(V);
      let sum = 0;
      for (let v = 0; v < V; v++) sum += r[v] = Math.max(0, p[v] - q[v]);
      for (let v = 0; v < V; v++) r[v] /= sum;
      next = sampling.temperature === 0 ? r.indexOf(1) : draw(r, rng);
      break;
    }
    if (next < 0)
      next =
        sampling.temperature === 0
          ? distribution(ver, gamma * V, V, sampling).indexOf(1)
          : draw(distribution(ver, gamma * V, V, sampling), rng);
    stats.histogram[kept]++;
    stats.written += kept + 1;
    // Keep the caches of the pending token and the kept proposals; drop the rest.
    yield { model: 'target', truncate: base + 1 + kept };
    if (kept === gamma) {
      // The draft never fed its last proposal: cache it so both models stand at the same place.
      yield { model: 'draft', run: [xs[gamma - 1]] };
      stats.draftPasses++;
    }
    yield { model: 'draft', truncate: base + 1 + kept };
    base += 1 + kept;
    out.push(...xs.slice(0, kept), next);
    pending = next;
  }
  return out.slice(0, maxNew);
}

/** A cache the GPU driver runs on: GpuSequence has this shape. */
export interface AsyncCache {
  run(tokens: number[]): Promise<Float64Array>;
  truncate(len: number): void;
}

/**
 * Generates `maxNew` tokens after `prompt`. Both models must share the vocabulary and fit
 * prompt + maxNew + γ positions in their context (the verification looks γ tokens ahead).
 * `stats` may be passed in to accumulate over many prompts.
 */
export function speculativeGenerate(
  target: ServeModel,
  draft: ServeModel,
  prompt: number[],
  maxNew: number,
  gamma: number,
  sampling: Sampling,
  rng: Rng,
  stats: SpeculativeStats = emptyStats(gamma),
): SpeculativeResult {
  checkArgs(target.config, draft.config, prompt, maxNew, gamma, sampling, stats);
  const models = { target, draft };
  const caches = {
    target: new ArrayKv(target.config.layers, target.config.dModel, target.config.context),
    draft: new ArrayKv(draft.config.layers, draft.config.dModel, draft.config.context),
  };
  const gen = speculativeSteps(target.config.vocab, prompt, maxNew, gamma, sampling, rng, stats);
  let reply: Float64Array = new Float64Array(0);
  for (;;) {
    const r = gen.next(reply);
    if (r.done) return { tokens: r.value, stats };
    const cache = caches[r.value.model];
    if (r.value.run) {
      const st = cachedForward(models[r.value.model], cache, r.value.run);
      cache.append(st, r.value.run.length);
      reply = st.logits;
    } else cache.truncate(r.value.truncate);
  }
}

/** The same algorithm with both models' forwards on caches that answer asynchronously (the GPU). */
export async function speculativeGenerateOn(
  target: { config: { vocab: number; context: number }; cache: AsyncCache },
  draft: { config: { vocab: number; context: number }; cache: AsyncCache },
  prompt: number[],
  maxNew: number,
  gamma: number,
  sampling: Sampling,
  rng: Rng,
  stats: SpeculativeStats = emptyStats(gamma),
): Promise<SpeculativeResult> {
  checkArgs(target.config, draft.config, prompt, maxNew, gamma, sampling, stats);
  const caches = { target: target.cache, draft: draft.cache };
  const gen = speculativeSteps(target.config.vocab, prompt, maxNew, gamma, sampling, rng, stats);
  let reply: Float64Array = new Float64Array(0);
  for (;;) {
    const r = gen.next(reply);
    if (r.done) return { tokens: r.value, stats };
    if (r.value.run) reply = await caches[r.value.model].run(r.value.run);
    else caches[r.value.model].truncate(r.value.truncate);
  }
}

/** Plain autoregressive generation with the same sampling, one target forward per token (the baseline). */
export function plainGenerate(
  model: ServeModel,
  prompt: number[],
  maxNew: number,
  sampling: Sampling,
  rng: Rng,
): number[] {
  const V = model.config.vocab;
  const cache = new ArrayKv(model.config.layers, model.config.dModel, model.config.context);
  let st = cachedForward(model, cache, prompt);
  cache.append(st, prompt.length);
  const out: number[] = [];
  let row = prompt.length - 1;
  for (;;) {
    const p = distribution(st.logits, row * V, V, sampling);
    const x = sampling.temperature === 0 ? p.indexOf(1) : draw(p, rng);
    out.push(x);
    if (out.length >= maxNew) return out;
    st = cachedForward(model, cache, [x]);
    cache.append(st, 1);
    row = 0;
  }
}

/** Plain generation on an asynchronous cache (the GPU baseline speculative decoding is timed against). */
export async function plainGenerateOn(
  vocab: number,
  cache: AsyncCache,
  prompt: number[],
  maxNew: number,
  sampling: Sampling,
  rng: Rng,
): Promise<number[]> {
  let logits = await cache.run(prompt);
  let row = prompt.length - 1;
  const out: number[] = [];
  for (;;) {
    const p = distribution(logits, row * vocab, vocab, sampling);
    const x = sampling.temperature === 0 ? p.indexOf(1) : draw(p, rng);
    out.push(x);
    if (out.length >= maxNew) return out;
    logits = await cache.run([x]);
    row = 0;
  }
}
