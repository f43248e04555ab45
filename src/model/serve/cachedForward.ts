import { geluForward } from '../../kernels/gelu/reference';
import { layerNormForward } from '../../kernels/layernorm/reference';
import { linearForward, matmul64 } from '../../kernels/linear/reference';
import type { GptConfig } from '../config';
import { paramLayout, view, type ParamLayout, type ParamTensor } from '../layout';

/**
 * The GPT forward for a few new tokens of one sequence, given the keys and values of the tokens
 * before them: the computation behind prefill (all prompt tokens, nothing cached), a decode step
 * (one token) and a speculative verification (γ+1 tokens). Float64 on the CPU, composed from the
 * same kernel references as the whole-sequence forward (src/model/cpu/gpt.ts), so a cached run
 * can be held to that forward position by position. Where the cache lives (paged blocks or one
 * array) is the caller's: it is read through a KvView.
 */

/** The cached keys and values of one sequence: `len` tokens, each layer's K or V row of D values. */
export interface KvView {
  readonly len: number;
  key(layer: number, pos: number): Float64Array;
  value(layer: number, pos: number): Float64Array;
}

export interface CachedStep {
  /** [n, V]: the next-token logits after each new token. */
  logits: Float64Array;
  /** Per layer, [n, D]: the new tokens' keys and values, for the caller to store. */
  keys: Float64Array[];
  values: Float64Array[];
  /** Per layer, [n, D]: the queries and the attention outputs (heads merged), so a GPU attention kernel can be held to them. */
  queries: Float64Array[];
  attention: Float64Array[];
}

export class ContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextError';
  }
}

/** The model's weights as float64 with its layout, computed once per model. */
export interface ServeModel {
  config: GptConfig;
  layout: ParamLayout;
  params: Float64Array;
}

export function serveModel(config: GptConfig, params: ArrayLike<number>): ServeModel {
  const layout = paramLayout(config);
  if (params.length !== layout.total)
    throw new RangeError(`weights have ${params.length} values; this configuration has ${layout.total} parameters.`);
  return { config, layout, params: Float64Array.from(params) };
}

/** Which linear layer's input a tap sees: the inputs AWQ calibrates its scales on. */
export type LinearName = 'wqkv' | 'wo' | 'wfc' | 'wproj';
export type LinearTap = (layer: number, name: LinearName, x: Float64Array, rows: number) => void;

export function cachedForward(m: ServeModel, past: KvView, tokens: ArrayLike<number>, tap?: LinearTap): CachedStep {
  const { config: c, layout, params } = m;
  const n = tokens.length;
  const D = c.dModel;
  const H = c.heads;
  const hd = D / H;
  const V = c.vocab;
  const start = past.len;
  if (n < 1) throw new RangeError('a forward step needs at least one new token.');
  if (start + n > c.context)
    throw new ContextError(`positions ${start}…${start + n - 1} go past the model's context of ${c.context} tokens.`);
  const p = (t: ParamTensor) => view(params, t);
  const wte = p(layout.wte);
  const wpe = p(layout.wpe);
  let x: Float64Array = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    const tok = tokens[i];
    if (!Number.isInteger(tok) || tok < 0 || tok >= V) throw new RangeError(`token id ${tok} is outside 0–${V - 1}.`);
    for (let d = 0; d < D; d++) x[i * D + d] = wte[tok * D + d] + wpe[(start + i) * D + d];
  }
  const keys: Float64Array[] = [];
  const values: Float64Array[] = [];
  const queries: Float64Array[] = [];
  const attention: Float64Array[] = [];
  const scale = 1 / Math.sqrt(hd);
  const scores = new Float64Array(start + n);
  layout.blocks.forEach((bl, l) => {
    const ln1 = layerNormForward(x, p(bl.ln1g), p(bl.ln1b), n, D);
    tap?.(l, 'wqkv', ln1.y, n);
    const qkv = linearForward(ln1.y, p(bl.wqkv), p(bl.bqkv), n, D, 3 * D);
    const k = new Float64Array(n * D);
    const v = new Float64Array(n * D);
    for (let i = 0; i < n; i++) {
      k.set(qkv.subarray(i * 3 * D + D, i * 3 * D + 2 * D), i * D);
      v.set(qkv.subarray(i * 3 * D + 2 * D, i * 3 * D + 3 * D), i * D);
    }
    const q = new Float64Array(n * D);
    for (let i = 0; i < n; i++) q.set(qkv.subarray(i * 3 * D, i * 3 * D + D), i * D);
    keys.push(k);
    values.push(v);
    queries.push(q);
    // Causal attention: new token i sees every cached token and the new tokens 0…i.
    const att = new Float64Array(n * D);
    const keyAt = (t: number): [Float64Array, number] => (t < start ? [past.key(l, t), 0] : [k, (t - start) * D]);
    const valueAt = (t: number): [Float64Array, number] => (t < start ? [past.value(l, t), 0] : [v, (t - start) * D]);
    for (let i = 0; i < n; i++) {
      const len = start + i + 1;
      for (let h = 0; h < H; h++) {
        const q0 = i * 3 * D + h * hd;
        let mx = -Infinity;
        for (let t = 0; t < len; t++) {
          const [kr, o] = keyAt(t);
          let dot = 0;
          for (let e = 0; e < hd; e++) dot += qkv[q0 + e] * kr[o + h * hd + e];
          scores[t] = dot * scale;
          if (scores[t] > mx) mx = scores[t];
        }
        let sum = 0;
        for (let t = 0; t < len; t++) sum += scores[t] = Math.exp(scores[t] - mx);
        for (let t = 0; t < len; t++) {
          const [vr, o] = valueAt(t);
          const w = scores[t] / sum;
          for (let e = 0; e < hd; e++) att[i * D + h * hd + e] += w * vr[o + h * hd + e];
        }
      }
    }
    attention.push(att);
    tap?.(l, 'wo', att, n);
    const x2 = linearForward(att, p(bl.wo), p(bl.bo), n, D, D);
    for (let i = 0; i < x2.length; i++) x2[i] += x[i];
    const ln2 = layerNormForward(x2, p(bl.ln2g), p(bl.ln2b), n, D);
    tap?.(l, 'wfc', ln2.y, n);
    const act = geluForward(linearForward(ln2.y, p(bl.wfc), null, n, D, 4 * D), p(bl.bfc), n, 4 * D);
    tap?.(l, 'wproj', act, n);
    const x3 = linearForward(act, p(bl.wproj), p(bl.bproj), n, 4 * D, D);
    for (let i = 0; i < x3.length; i++) x3[i] += x2[i];
    x = x3;
  });
  const lnf = layerNormForward(x, p(layout.lnfg), p(layout.lnfb), n, D);
  const logits = matmul64(lnf.y, wte, { M: n, N: V, K: D, transposeB: true });
  return { logits, keys, values, queries, attention };
}

/**
 * A sequence's cache in plain growable arrays, one per layer: what the draft model and the
 * speculative verifier use, since both must drop rejected tokens (truncate), which the paged
 * allocator does not offer.
 */
export class ArrayKv implements KvView {
  private k: Float64Array[];
  private v: Float64Array[];
  len = 0;

  constructor(
    readonly layers: number,
    readonly dModel: number,
    readonly capacity: number,
  ) {
    this.k = Array.from({ length: layers }, () => new Float64Array(capacity * dModel));
    this.v = Array.from({ length: layers }, () => new Float64Array(capacity * dModel));
  }

  key(layer: number, pos: number): Float64Array {
    return this.k[layer].subarray(pos * this.dModel, (pos + 1) * this.dModel);
  }

  value(layer: number, pos: number): Float64Array {
    return this.v[layer].subarray(pos * this.dModel, (pos + 1) * this.dModel);
  }

  /** Stores the first `count` new tokens of a step after the cached ones. */
  append(step: CachedStep, count: number): void {
    const D = this.dModel;
    if (this.len + count > this.capacity)
      throw new ContextError(`the cache holds ${this.capacity} tokens; ${this.len + count} asked.`);
    for (let l = 0; l < this.layers; l++) {
      this.k[l].set(step.keys[l].subarray(0, count * D), this.len * D);
      this.v[l].set(step.values[l].subarray(0, count * D), this.len * D);
    }
    this.len += count;
  }

  truncate(len: number): void {
    if (len < 0 || len > this.len) throw new RangeError(`cannot truncate a cache of ${this.len} tokens to ${len}.`);
    this.len = len;
  }
}
