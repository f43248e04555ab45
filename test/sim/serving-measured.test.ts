import { describe, expect, it } from 'vitest';
import { stepSeconds } from '../../src/sim/kvcache/costModel';
import { Engine } from '../../src/sim/serving/engine';
import {
  decodeMeasured,
  encodeMeasured,
  measuredDecodeSeconds,
  measuredProfile,
  measuredSource,
  MeasuredCostError,
  type MeasuredModelCost,
} from '../../src/sim/serving/measured';
import { MEASURED_MAX_BLOCKS, measuredReplica } from '../../src/sim/serving/measuredReplica';
import type { ServeRequest } from '../../src/sim/serving/workload';
import { provenance, replicaOf } from '../../src/labs/serving/params';
import { defaults } from '../../src/labkit/schema';
import { loadMeasuredModel, MEASURED_MODEL_KEY } from '../../src/store/measuredModelSlice';
import { meta } from '../../src/labs/serving/meta';

// Hand numbers: prefill 0.1 ms per token; a decode step 1 ms at batch 1, 1.5 at 2, 2.5 at 4, 4.5 at 8.
const cost: MeasuredModelCost = {
  model: {
    name: '2-layer × d 32 GPT',
    parameters: 31_000,
    layers: 2,
    dModel: 32,
    heads: 2,
    context: 16,
    kvBytesPerToken: 512,
    weightBytes: 124_000,
  },
  adapter: 'Test adapter',
  path: 'float64 CPU forward',
  measuredAt: '2026-12-06T19:30:00.000Z',
  prefillSPerToken: 1e-4,
  decodeStepS: [
    { batch: 1, seconds: 1e-3 },
    { batch: 2, seconds: 1.5e-3 },
    { batch: 4, seconds: 2.5e-3 },
    { batch: 8, seconds: 4.5e-3 },
  ],
  contextTokens: 10,
};

const req = (id: number, prompt: number, output: number): ServeRequest => ({
  id,
  arrival: 0,
  prompt,
  output,
  priority: 1,
  segs: [{ src: 1000 + 2 * id, len: prompt }],
  outSrc: 1001 + 2 * id,
});

describe('the served model’s measured step costs as the serving simulator’s cost model', () => {
  it('decode step time: measured points exactly, linear between, the last slope beyond, 0 with nothing to decode', () => {
    expect(measuredDecodeSeconds(0, cost)).toBe(0);
    expect(measuredDecodeSeconds(1, cost)).toBeCloseTo(1e-3, 12);
    expect(measuredDecodeSeconds(4, cost)).toBeCloseTo(2.5e-3, 12);
    expect(measuredDecodeSeconds(3, cost)).toBeCloseTo(2e-3, 12); // halfway from 1.5 to 2.5 ms
    expect(measuredDecodeSeconds(6, cost)).toBeCloseTo(3.5e-3, 12);
    expect(measuredDecodeSeconds(16, cost)).toBeCloseTo(8.5e-3, 12); // 4.5 + 8 × 0.5 ms
    // One measured point: proportional to the batch.
    expect(measuredDecodeSeconds(3, { ...cost, decodeStepS: [{ batch: 2, seconds: 2e-3 }] })).toBeCloseTo(3e-3, 12);
  });

  it('a step = prefill tokens × per-token time + the decode step, through the simulator’s stepSeconds', () => {
    const p = measuredProfile(cost);
    const w = { prefillTokens: 10, decodeTokens: 3, contextTokens: 999, swapTokens: 7 };
    expect(stepSeconds(w, p)).toBeCloseTo(10 * 1e-4 + 2e-3, 12); // 3.0 ms; context and swaps add nothing
    expect(stepSeconds({ prefillTokens: 0, decodeTokens: 0, contextTokens: 0, swapTokens: 0 }, p)).toBe(0);
  });

  it('the engine on the measured replica: TTFT, TPOT and finish times are the hand sums', () => {
    const config = {
      model: measuredProfile(cost),
      numBlocks: 64,
      blockSize: 16,
      maxBatch: 8,
      schedule: 'fcfs' as const,
      chunkedPrefill: false,
      prefillChunk: 512,
      prefixCaching: false,
      maxQueue: Infinity,
    };
    // The engine's prefill step also decodes the first token (as vLLM's does). One request, 10 prompt
    // tokens, 5 out: step 1 = 10 × 0.1 + 1 ms (batch 1) = 2 ms to the first token, then 4 steps of 1 ms.
    const one = new Engine(config, [req(0, 10, 5)]).run();
    expect(one.jobs[0].firstTokenTime).toBeCloseTo(2e-3, 12);
    expect(one.jobs[0].finishTime).toBeCloseTo(6e-3, 12);
    // Two at once, 10 + 10 prompt tokens, 3 out each: 20 × 0.1 + 1.5 ms (batch 2) = 3.5 ms, then 2 × 1.5 ms.
    const two = new Engine(config, [req(0, 10, 3), req(1, 10, 3)]).run();
    for (const j of two.jobs) {
      expect(j.firstTokenTime).toBeCloseTo(3.5e-3, 12);
      expect(j.finishTime).toBeCloseTo(6.5e-3, 12);
    }
  });

  it('travels in the URL: encode → decode is the same cost; a damaged or incomplete one is refused by name', () => {
    expect(decodeMeasured(encodeMeasured(cost))).toEqual(cost);
    expect(encodeMeasured(cost)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(() => decodeMeasured('!!not-base64')).toThrow(MeasuredCostError);
    const noDecode = encodeMeasured({ ...cost, decodeStepS: [] });
    expect(() => decodeMeasured(noDecode)).toThrow(/no decode step time/);
    const unsorted = encodeMeasured({ ...cost, decodeStepS: [...cost.decodeStepS].reverse() });
    expect(() => decodeMeasured(unsorted)).toThrow(/ascending/);
    expect(() => decodeMeasured(encodeMeasured({ ...cost, prefillSPerToken: 0 }))).toThrow(/prefill/);
  });

  it('the serving lab’s replica and provenance with the measured costs say where they come from', () => {
    const p = { ...defaults(meta.schema), measured: encodeMeasured(cost) };
    const r = replicaOf(p);
    expect(r.profile.measured).toEqual(cost);
    expect(r.model.name).toBe('2-layer × d 32 GPT');
    expect(r.numBlocks).toBe(MEASURED_MAX_BLOCKS);
    expect(measuredSource(cost)).toBe(
      'measured on Test adapter (float64 CPU forward) at 2026-12-06 19:30:00 UTC, Serve lab',
    );
    expect(provenance(r)).toMatch(
      /prefill 0\.100 ms per token, a decode step 1\.000 ms at batch 1, 1\.500 ms at batch 2/,
    );
    expect(provenance(r)).toContain('Serve lab');
    // A small GPU memory bounds the blocks as for any model: (0.9 × memory − weights) / (512 B × 16).
    const small = measuredReplica({ ...cost, model: { ...cost.model, kvBytesPerToken: 2 ** 20 } }, p.gpu);
    expect(small.numBlocks).toBe(Math.floor((0.9 * small.gpu.memBytes - cost.model.weightBytes) / (2 ** 20 * 16)));
  });
});

describe('the shell keeps the latest measurement (store slice, localStorage)', () => {
  const kv = () => {
    const m = new Map<string, string>();
    return {
      m,
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      removeItem: (k: string) => void m.delete(k),
    };
  };
  it('reads back what was stored; drops a stored value that fails its checks instead of using it', () => {
    const store = kv();
    expect(loadMeasuredModel(store)).toBeNull();
    store.setItem(MEASURED_MODEL_KEY, JSON.stringify(cost));
    expect(loadMeasuredModel(store)).toEqual(cost);
    store.setItem(MEASURED_MODEL_KEY, JSON.stringify({ ...cost, decodeStepS: [] }));
    expect(loadMeasuredModel(store)).toBeNull();
    expect(store.m.has(MEASURED_MODEL_KEY)).toBe(false);
    store.setItem(MEASURED_MODEL_KEY, '{not json');
    expect(loadMeasuredModel(store)).toBeNull();
  });
});
