import { describe, expect, it } from 'vitest';
import {
  CapacityError,
  KvSimulator,
  MAX_TRACE_REQUESTS,
  PagedKv,
  Rng,
  TraceError,
  mapRecorder,
  parseTrace,
  replayFrames,
  simulate,
  syntheticTrace,
  traceToCsv,
  type SimConfig,
  type TraceRequest,
} from '../../src/sim/kvcache';

function config(over: Partial<SimConfig> & Pick<SimConfig, 'allocator'>): SimConfig {
  return {
    blockSize: 16,
    numBlocks: 256,
    batching: 'continuous',
    preemption: 'recompute',
    systemPrompt: 0,
    n: 1,
    maxBatch: 256,
    seed: 1,
    ...over,
  };
}

describe('KV cache simulator: allocator invariants', () => {
  it('holds every invariant after every step of thousands of random steps', () => {
    const rng = new Rng(2024);
    let steps = 0;
    let cow = 0;
    let swaps = 0;
    let recomputes = 0;
    let sharedPrefix = 0;
    for (let run = 0; run < 40; run++) {
      const allocator = rng.next() < 0.7 ? 'paged' : 'contiguous';
      const blockSize = [1, 2, 4, 8, 16, 32][rng.int(0, 5)];
      const n = rng.int(1, 3);
      const systemPrompt = rng.next() < 0.4 ? rng.int(1, 80) : 0;
      const contextLen = 160;
      const trace = syntheticTrace({
        kind: (['chat', 'uniform', 'summarize'] as const)[rng.int(0, 2)],
        requests: rng.int(10, 40),
        ratePerS: 50 + rng.next() * 500,
        seed: rng.int(1, 1e6),
        contextLen,
      });
      // Just enough memory for the largest request, up to 3x: small memories force preemption.
      const perSeq = Math.ceil((systemPrompt + contextLen) / blockSize) + 1;
      const numBlocks = Math.ceil(perSeq * n * (1 + rng.next() * 2));
      const cfg = config({
        allocator,
        blockSize,
        numBlocks,
        n,
        systemPrompt,
        batching: rng.next() < 0.7 ? 'continuous' : 'static',
        preemption: rng.next() < 0.5 ? 'swap' : 'recompute',
        maxBatch: rng.int(n, 24),
        seed: run,
      });
      const sim = new KvSimulator(trace, cfg);
      const pb = sim.backend;
      while (
        sim.advance({
          onStep(s) {
            s.check();
            if (pb instanceof PagedKv && systemPrompt >= blockSize)
              for (let b = 0; b < pb.numBlocks; b++) if (pb.refs[b] > n) sharedPrefix++;
          },
        })
      );
      sim.check();
      expect(sim.backend.allocatedBlocks(), `run ${run} ends with every block free`).toBe(0);
      expect(
        sim.groups.every((g) => g.state === 'finished' && g.seqs.every((s) => s.done && s.generated === s.target)),
      ).toBe(true);
      const sum = sim.summary();
      steps += sum.steps;
      cow += sum.cowCopies;
      if (cfg.preemption === 'swap') swaps += sum.preemptions;
      else recomputes += sum.preemptions;
    }
    expect(steps).toBeGreaterThan(3000);
    // The random workloads exercise every mechanism the invariants guard.
    expect(cow).toBeGreaterThan(0);
    expect(swaps).toBeGreaterThan(0);
    expect(recomputes).toBeGreaterThan(0);
    expect(sharedPrefix).toBeGreaterThan(0);
  });

  it('copies a shared, partly filled prompt block on the first write (copy-on-write) and shares full ones', () => {
    const trace: TraceRequest[] = [{ arrival: 0, prompt: 20, output: 5, maxTokens: 100 }];
    const sim = new KvSimulator(trace, config({ allocator: 'paged', n: 2, numBlocks: 8 }));
    const kv = sim.backend as PagedKv;
    sim.advance();
    sim.check();
    const [a, b] = sim.groups[0].seqs;
    expect(a.table[0]).toBe(b.table[0]);
    expect(kv.refs[a.table[0]]).toBe(2);
    expect(a.table[1]).not.toBe(b.table[1]);
    expect(kv.cowCopies).toBe(1);
    expect(kv.allocatedBlocks()).toBe(3);
    expect(kv.fill[a.table[1]]).toBe(5);
  });

  it('stores a shared system prompt once for all running requests', () => {
    const trace: TraceRequest[] = [
      { arrival: 0, prompt: 5, output: 50, maxTokens: 100 },
      { arrival: 0, prompt: 7, output: 50, maxTokens: 100 },
    ];
    const sim = new KvSimulator(trace, config({ allocator: 'paged', systemPrompt: 40, numBlocks: 32 }));
    const kv = sim.backend as PagedKv;
    sim.advance();
    sim.check();
    const [g1, g2] = sim.groups;
    expect(g1.seqs[0].table.slice(0, 2)).toEqual(g2.seqs[0].table.slice(0, 2));
    expect(kv.refs[g1.seqs[0].table[0]]).toBe(2);
    expect(g1.seqs[0].table[2]).not.toBe(g2.seqs[0].table[2]);
  });
});

describe('KV cache simulator: determinism and targets', () => {
  it('gives identical results for the same seed and different ones for another seed', () => {
    const run = (seed: number) => {
      const trace = syntheticTrace({ kind: 'chat', requests: 300, ratePerS: 20, seed });
      return simulate(trace, { allocator: 'paged', blockSize: 16, numBlocks: 300, n: 2, seed, preemption: 'swap' });
    };
    const a = run(5);
    const b = run(5);
    expect(a.summary).toEqual(b.summary);
    expect(Array.from(a.sim.log.col('liveSlots'))).toEqual(Array.from(b.sim.log.col('liveSlots')));
    expect(run(6).summary).not.toEqual(a.summary);
  });

  it('wastes under 4% paged and over 50% contiguous on the long-tailed chat trace, block size 16', () => {
    const trace = syntheticTrace({ kind: 'chat', requests: 2000, ratePerS: 8, seed: 1 });
    const paged = simulate(trace, { allocator: 'paged', blockSize: 16, numBlocks: 2048 }).summary;
    const contiguous = simulate(trace, { allocator: 'contiguous', blockSize: 16, numBlocks: 2048 }).summary;
    expect(paged.waste).toBeLessThan(0.04);
    expect(paged.overReservation).toBe(0);
    expect(contiguous.waste).toBeGreaterThan(0.5);
    expect(contiguous.overReservation).toBeGreaterThan(contiguous.internalFragmentation);
    // Less waste lets more requests run at once.
    expect(paged.meanRunning).toBeGreaterThan(contiguous.meanRunning);
  });

  it('records a memory map whose replay matches the allocator at every recorded step', () => {
    const trace = syntheticTrace({ kind: 'chat', requests: 60, ratePerS: 30, seed: 3, contextLen: 256 });
    const cfg = config({ allocator: 'paged', numBlocks: 200, n: 2, systemPrompt: 24 });
    const direct = new Map<number, Float64Array>();
    const rec = mapRecorder(cfg.numBlocks, 16);
    const sim = new KvSimulator(trace, cfg);
    while (
      sim.advance({
        onStep(s) {
          const cells = new Float64Array(cfg.numBlocks);
          s.backend.cells(cells);
          direct.set(s.step, cells);
          rec.hooks.onStep!(s);
        },
      })
    );
    expect(rec.frames.length).toBeLessThanOrEqual(16);
    expect(rec.stride()).toBeGreaterThan(1);
    const maps = replayFrames(cfg.numBlocks, rec.frames);
    rec.frames.forEach((f, i) => {
      if (f.step > 0) expect(Array.from(maps[i])).toEqual(Array.from(direct.get(f.step)!));
    });
    expect(maps[maps.length - 1].every((c) => c === 0)).toBe(true);
  });
});

describe('KV cache simulator: bad input', () => {
  const trace: TraceRequest[] = [{ arrival: 0, prompt: 100, output: 50, maxTokens: 500 }];
  it('rejects a block size of zero and other impossible settings with a clear message', () => {
    expect(() => new KvSimulator(trace, config({ allocator: 'paged', blockSize: 0 }))).toThrow(
      /Block size must be a whole number of tokens from 1 to 256; got 0/,
    );
    expect(() => new KvSimulator(trace, config({ allocator: 'paged', numBlocks: 0 }))).toThrow(/Memory must hold/);
    expect(() => new KvSimulator(trace, config({ allocator: 'paged', n: 0 }))).toThrow(/Parallel samples/);
    expect(() => syntheticTrace({ kind: 'chat', requests: MAX_TRACE_REQUESTS + 1, ratePerS: 1, seed: 1 })).toThrow(
      /Requests must be/,
    );
    expect(() => syntheticTrace({ kind: 'chat', requests: 10, ratePerS: Number.NaN, seed: 1 })).toThrow(/Arrival rate/);
  });

  it('explains when memory is smaller than one request', () => {
    expect(() => new KvSimulator(trace, config({ allocator: 'paged', numBlocks: 9 }))).toThrow(CapacityError);
    expect(() => new KvSimulator(trace, config({ allocator: 'paged', numBlocks: 9 }))).toThrow(
      /Request 1 needs 10 blocks .*only 9 blocks/,
    );
    expect(() => new KvSimulator(trace, config({ allocator: 'contiguous', numBlocks: 20 }))).toThrow(
      /reservation of 100 prompt \+ 500 max_tokens.*only 20 blocks/,
    );
    // A request that can never fit is rejected (and said so) while the others are served.
    const two: TraceRequest[] = [trace[0], { arrival: 1, prompt: 400, output: 50, maxTokens: 500 }];
    const mixed = simulate(two, { allocator: 'paged', blockSize: 16, numBlocks: 12 }).summary;
    expect(mixed.rejected).toBe(1);
    expect(mixed.rejectMessage).toMatch(/Request 2 needs 29 blocks/);
    expect(mixed.requestsPerS).toBeGreaterThan(0);
    // Just enough memory runs to the end.
    expect(simulate(trace, { allocator: 'paged', blockSize: 16, numBlocks: 10 }).summary.requests).toBe(1);
  });

  it('parses JSON and CSV traces and names the line and field of every error', () => {
    const reqs = syntheticTrace({ kind: 'chat', requests: 20, ratePerS: 5, seed: 9 });
    const back = parseTrace(traceToCsv(reqs));
    expect(back.map((r) => [r.prompt, r.output, r.maxTokens])).toEqual(
      reqs.map((r) => [r.prompt, r.output, r.maxTokens]),
    );
    expect(
      parseTrace('[{"arrival":1,"prompt":3,"output":4},{"arrival":0.5,"prompt":8,"output":2}]').map((r) => r.prompt),
    ).toEqual([8, 3]);
    expect(
      parseTrace('{"requests":[{"arrival_s":0,"prompt_tokens":3,"output_tokens":4,"max_tokens":10}]}')[0].maxTokens,
    ).toBe(10);
    expect(() => parseTrace('[{"arrival":0,"prompt":3,"output":4},{"arrival":0,"prompt":"x","output":4}]')).toThrow(
      /request 2: field "prompt" is "x"; expected a number/,
    );
    expect(() => parseTrace('arrival,prompt,output\n0,10,5\n1,10,-3')).toThrow(
      /line 3: field "output" is -3; expected at least 1/,
    );
    expect(() => parseTrace('arrival,prompt,output\n0,10')).toThrow(/line 2: 2 fields, but the header has 3/);
    expect(() => parseTrace('time,tokens\n0,10')).toThrow(/line 1: the CSV header must name/);
    expect(() => parseTrace('[{"arrival":0,"prompt":2000,"output":100}]')).toThrow(
      /exceed the 2048-token context window/,
    );
    expect(() => parseTrace('[{"arrival":0,"prompt":2,')).toThrow(/not valid JSON/);
    expect(() => parseTrace('   ')).toThrow(TraceError);
    expect(() => parseTrace('[]')).toThrow(/no requests/);
    expect(() => parseTrace('x'.repeat(5 * 2 ** 20))).toThrow(/the limit is 4 MiB/);
    const many =
      'arrival,prompt,output\n' + Array.from({ length: MAX_TRACE_REQUESTS + 1 }, (_, i) => `${i},1,1`).join('\n');
    expect(() => parseTrace(many)).toThrow(/at most 20,000/);
  });
});
