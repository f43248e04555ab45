import { describe, expect, it } from 'vitest';
import { LLAMA7B_A100 } from '../../src/sim/kvcache';
import { InvariantError } from '../../src/sim/kvcache/pagedKv';
import { BlockPool, HashIndex, ROOT_HASH, blockHash } from '../../src/sim/serving/blockPool';
import { Engine, type EngineConfig } from '../../src/sim/serving/engine';
import { prefixStudy } from '../../src/sim/serving/prefix';
import { atRate, unitWorkload, type WorkloadSpec } from '../../src/sim/serving/workload';
import { mulberry32 } from '../../src/kernels/random';

const cfg: EngineConfig = {
  model: LLAMA7B_A100,
  numBlocks: 400,
  blockSize: 16,
  maxBatch: 64,
  schedule: 'fcfs',
  chunkedPrefill: false,
  prefillChunk: 512,
  prefixCaching: true,
  maxQueue: Infinity,
};
const slo = { ttftS: 1, tpotS: 0.1 };
const multi: WorkloadSpec = {
  mix: 'multiturn',
  requests: 600,
  systemPrompt: 200,
  highPriorityShare: 0.3,
  arrivals: 'poisson',
  cv: 1,
  seed: 2,
};

describe('prefix-cache block pool', () => {
  it('its hash index agrees with a Map over 50,000 random sets, gets and deletes (colliding slots included)', () => {
    const idx = new HashIndex(64);
    const ref = new Map<number, number>();
    const rnd = mulberry32(5);
    // Few distinct keys, many of them 53-bit: probe chains form, and deletes must shift them back.
    const keys = Array.from({ length: 200 }, (_, i) => (i % 3 ? Math.floor(rnd() * 2 ** 53) : i * 128));
    for (let step = 0; step < 50_000; step++) {
      const k = keys[Math.floor(rnd() * keys.length)];
      const op = rnd();
      if (op < 0.4 && (ref.has(k) || ref.size < 120)) {
        const v = Math.floor(rnd() * 1000);
        idx.set(k, v);
        ref.set(k, v);
      } else if (op < 0.7) {
        idx.delete(k);
        ref.delete(k);
      }
      expect(idx.get(k)).toBe(ref.get(k));
      expect(idx.size).toBe(ref.size);
    }
    expect(new Map(idx.entries())).toEqual(ref);
  });

  it('keys a block by its whole prefix: same tokens under another parent give another hash', () => {
    const t = [1, 2, 3, 4];
    expect(blockHash(ROOT_HASH, t, 0, 4)).toBe(blockHash(ROOT_HASH, [9, 1, 2, 3, 4], 1, 4));
    expect(blockHash(ROOT_HASH, t, 0, 4)).not.toBe(blockHash(blockHash(ROOT_HASH, t, 0, 4), t, 0, 4));
    expect(Number.isSafeInteger(blockHash(ROOT_HASH, t, 0, 4))).toBe(true);
  });

  it('keeps its invariants over 20,000 random operations, and evicts least recently freed first', () => {
    const bs = 4;
    const pool = new BlockPool(64, bs, true);
    const rnd = mulberry32(99);
    const held: number[] = [];
    const toks = new Int32Array(bs);
    let parent = ROOT_HASH;
    for (let step = 0; step < 20_000; step++) {
      const op = rnd();
      if (op < 0.35 && pool.free() > 0) {
        const b = pool.alloc();
        held.push(b);
        for (let k = 0; k < bs; k++) toks[k] = Math.floor(rnd() * 6);
        // Few distinct contents, so commits collide with cached blocks and hits are common.
        parent = rnd() < 0.5 ? ROOT_HASH : parent;
        parent = pool.commit(b, parent, toks, 0);
      } else if (op < 0.55) {
        for (let k = 0; k < bs; k++) toks[k] = Math.floor(rnd() * 6);
        const b = pool.lookup(blockHash(ROOT_HASH, toks, 0, bs));
        if (b >= 0) {
          pool.acquire(b);
          held.push(b);
        }
      } else if (held.length) {
        const i = Math.floor(rnd() * held.length);
        pool.release(held[i]);
        held[i] = held[held.length - 1];
        held.pop();
      }
      pool.check();
      expect(pool.used()).toBeLessThanOrEqual(pool.numBlocks);
    }
    expect(pool.hits).toBeGreaterThan(50);
    expect(pool.evictions).toBeGreaterThan(100);
    // LRU: free three blocks in order; allocation takes them back in that order.
    for (const b of held) pool.release(b);
    pool.check();
    const a = [pool.alloc(), pool.alloc(), pool.alloc()];
    a.forEach((b) => pool.release(b));
    while (pool.free() > 3) pool.alloc();
    expect([pool.alloc(), pool.alloc(), pool.alloc()]).toEqual(a);
  });

  it('catches a broken invariant (the check can fail)', () => {
    const pool = new BlockPool(8, 4, true);
    const b = pool.alloc();
    pool.commit(b, ROOT_HASH, [1, 2, 3, 4], 0);
    pool.tokens[b * 4] = 7;
    expect(() => pool.check()).toThrow(InvariantError);
    const p2 = new BlockPool(8, 4, true);
    p2.refs[3] = 1;
    expect(() => p2.check()).toThrow(/on the free queue/);
  });
});

describe('prefix caching in the engine', () => {
  it.each([
    ['FCFS', { schedule: 'fcfs' as const }],
    ['priority + chunked prefill', { schedule: 'priority' as const, chunkedPrefill: true, prefillChunk: 256 }],
  ])('holds every invariant after each of thousands of steps under memory pressure (%s)', (_name, over) => {
    const w = { ...multi, requests: 250 };
    // audit: cached blocks keep their tokens, so check() recomputes every hash chain.
    const e = new Engine({ ...cfg, ...over, audit: true }, atRate(unitWorkload(w), 6));
    let steps = 0;
    while (e.advance()) {
      e.check();
      steps++;
    }
    e.check();
    expect(steps).toBeGreaterThan(2000);
    expect(e.pool.hits).toBeGreaterThan(500);
    expect(e.pool.evictions).toBeGreaterThan(100);
    expect(e.preemptions).toBeGreaterThan(0);
    expect(e.finished).toBe(w.requests);
    expect(e.pool.used()).toBe(0);
    // Without the audit copy the run is the same run.
    const plain = new Engine({ ...cfg, ...over }, atRate(unitWorkload(w), 6)).run();
    expect(plain.pool.tokens.length).toBe(0);
    expect(plain.jobs.map((j) => j.finishTime)).toEqual(e.jobs.map((j) => j.finishTime));
  });

  it('a shared system prompt and multi-turn history are served from cache and cut TTFT', () => {
    const big = { ...cfg, numBlocks: 6000, maxBatch: 128 };
    const sys = prefixStudy(unitWorkload({ ...multi, mix: 'chat', systemPrompt: 1000 }), 4, big, slo);
    // Every prompt starts with the same 1000 tokens: 62 full blocks hit for all but the first.
    expect(sys.hitRate).toBeGreaterThan(0.7);
    expect(sys.on.completed).toBe(600);
    expect(sys.ttftGainP50).toBeGreaterThan(1.2);
    const chat = prefixStudy(unitWorkload(multi), 4, big, slo);
    expect(chat.hitRate).toBeGreaterThan(0.5);
    expect(chat.ttftGainP99).toBeGreaterThan(1);
    // Less memory: the cache is evicted (LRU) and the hit rate falls.
    const tight = prefixStudy(unitWorkload(multi), 4, { ...big, numBlocks: 450 }, slo);
    expect(tight.evictions).toBeGreaterThan(chat.evictions);
    expect(tight.hitRate).toBeLessThan(chat.hitRate);
  });

  it('with caching off nothing is ever a hit', () => {
    const e = new Engine({ ...cfg, prefixCaching: false }, atRate(unitWorkload(multi), 4)).run();
    expect(e.pool.hits).toBe(0);
    expect(e.cachedTokens).toBe(0);
    expect(e.pool.byHash.size).toBe(0);
  });
});

describe('fast-forward is exact', () => {
  // Skipping runs of pure decode steps in one go must give the same run as stepping one by one:
  // every request's first-token and finish time, preemptions, steps and cache hits.
  const cases: [string, WorkloadSpec, Partial<EngineConfig>, number][] = [
    ['multi-turn, prefix caching, chunked prefill, past the knee', multi, { chunkedPrefill: true, numBlocks: 384 }, 24],
    ['multi-turn, prefix caching, below the knee', multi, {}, 4],
    [
      'chat, no caching, a queue',
      { ...multi, mix: 'chat', systemPrompt: 0 },
      { prefixCaching: false, numBlocks: 256 },
      40,
    ],
    ['multi-turn, prefix caching, priority', multi, { schedule: 'priority', numBlocks: 320 }, 16],
  ];
  for (const [name, w, over, qps] of cases) {
    it(name, () => {
      const reqs = atRate(unitWorkload(w), qps);
      const fast = new Engine({ ...cfg, ...over }, reqs).run();
      const slow = new Engine({ ...cfg, ...over }, reqs);
      slow.fastForwardCap = 1;
      slow.run();
      expect(fast.step).toBe(slow.step);
      expect(fast.preemptions).toBe(slow.preemptions);
      expect(fast.cachedTokens).toBe(slow.cachedTokens);
      for (let i = 0; i < reqs.length; i++) {
        expect(fast.jobs[i].firstTokenTime, `request ${i} first token`).toBe(slow.jobs[i].firstTokenTime);
        expect(fast.jobs[i].finishTime, `request ${i} finish`).toBe(slow.jobs[i].finishTime);
      }
    });
  }
});
