import { seededUniform } from '../random';

/** A batch of decoding sequences with their KV cache, in the paged layout. Typed arrays: not for the store. */
export interface DecodeBatch {
  numHeads: number;
  headDim: number;
  blockSize: number;
  seqLens: number[];
  /** Physical block of each logical block, per sequence. Tables may share blocks (a common prefix). */
  tables: number[][];
  /** Physical blocks in the pool. */
  numBlocks: number;
  /** [seq][head][headDim] */
  q: Float32Array;
  /** [block][slot][head][headDim] */
  kCache: Float32Array;
  vCache: Float32Array;
}

/**
 * Random queries and KV pool for the given lengths. Without tables, blocks are dealt from a
 * shuffled pool, so a sequence's blocks are scattered as they are after a long serving run.
 */
export function makeDecodeBatch(o: {
  seqLens: number[];
  numHeads: number;
  headDim: number;
  blockSize: number;
  tables?: number[][];
  numBlocks?: number;
  seed?: number;
}): DecodeBatch {
  const rand = seededUniform(o.seed ?? 1);
  const bs = o.blockSize;
  let tables = o.tables;
  let numBlocks = o.numBlocks ?? 0;
  if (!tables) {
    const need = o.seqLens.reduce((a, l) => a + Math.ceil(l / bs), 0);
    numBlocks = Math.max(numBlocks, need);
    const pool = Array.from({ length: numBlocks }, (_, i) => i);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    let next = 0;
    tables = o.seqLens.map((l) => Array.from({ length: Math.ceil(l / bs) }, () => pool[next++]));
  } else {
    for (const t of tables) for (const b of t) numBlocks = Math.max(numBlocks, b + 1);
  }
  o.seqLens.forEach((l, s) => {
    if (l < 1) throw new RangeError(`sequence ${s} is empty; decode needs at least one cached token`);
    if (tables![s].length < Math.ceil(l / bs))
      throw new RangeError(`sequence ${s} has ${l} tokens but only ${tables![s].length} blocks of ${bs}`);
  });
  const per = o.numHeads * o.headDim;
  const fill = (n: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = rand() * 2 - 1;
    return a;
  };
  return {
    numHeads: o.numHeads,
    headDim: o.headDim,
    blockSize: bs,
    seqLens: o.seqLens.slice(),
    tables,
    numBlocks,
    q: fill(o.seqLens.length * per),
    kCache: fill(numBlocks * bs * per),
    vCache: fill(numBlocks * bs * per),
  };
}

/** Index of token t's head-h vector of sequence s in the paged pool. */
export function pagedIndex(b: DecodeBatch, s: number, t: number, h: number): number {
  const phys = b.tables[s][Math.floor(t / b.blockSize)];
  return ((phys * b.blockSize + (t % b.blockSize)) * b.numHeads + h) * b.headDim;
}

/** The same K/V copied into one region per sequence of maxLen tokens (the contiguous layout). */
export function gatherContiguous(b: DecodeBatch): { k: Float32Array; v: Float32Array; maxBlocks: number } {
  const maxBlocks = Math.max(...b.seqLens.map((l) => Math.ceil(l / b.blockSize)));
  const maxLen = maxBlocks * b.blockSize;
  const per = b.numHeads * b.headDim;
  const k = new Float32Array(b.seqLens.length * maxLen * per);
  const v = new Float32Array(k.length);
  b.seqLens.forEach((len, s) => {
    for (let t = 0; t < len; t++)
      for (let h = 0; h < b.numHeads; h++) {
        const src = pagedIndex(b, s, t, h);
        const dst = ((s * maxLen + t) * b.numHeads + h) * b.headDim;
        k.set(b.kCache.subarray(src, src + b.headDim), dst);
        v.set(b.vCache.subarray(src, src + b.headDim), dst);
      }
  });
  return { k, v, maxBlocks };
}

/** CPU decode attention: softmax(q.K^T / sqrt(d)) V per sequence and head, in float64. */
export function decodeAttentionReference(b: DecodeBatch): Float32Array {
  const { numHeads: H, headDim: D } = b;
  const out = new Float32Array(b.seqLens.length * H * D);
  const scale = 1 / Math.sqrt(D);
  b.seqLens.forEach((len, s) => {
    for (let h = 0; h < H; h++) {
      const qb = (s * H + h) * D;
      const scores = new Float64Array(len);
      let m = -Infinity;
      for (let t = 0; t < len; t++) {
        const kb = pagedIndex(b, s, t, h);
        let dot = 0;
        for (let d = 0; d < D; d++) dot += b.q[qb + d] * b.kCache[kb + d];
        scores[t] = dot * scale;
        m = Math.max(m, scores[t]);
      }
      let sum = 0;
      for (let t = 0; t < len; t++) sum += scores[t] = Math.exp(scores[t] - m);
      for (let d = 0; d < D; d++) {
        let acc = 0;
        for (let t = 0; t < len; t++) acc += scores[t] * b.vCache[pagedIndex(b, s, t, h) + d];
        out[qb + d] = acc / sum;
      }
    }
  });
  return out;
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|, src/kernels/check.ts): float32
 * dot products and exp over at most a few thousand tokens against a float64 reference.
 */
export const KV_TOLERANCE = 1e-4;
