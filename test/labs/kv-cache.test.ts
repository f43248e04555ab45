import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/labkit/schema';
import { meta as kvCacheMeta } from '../../src/labs/kv-cache/meta';
import { runKvCacheLab } from '../../src/labs/kv-cache/run';
import type { KvParams } from '../../src/labs/kv-cache/simPart';
import { loadTrace } from '../../src/labs/kv-cache/traceStore';
import { replayFrames, unpackCell } from '../../src/sim/kvcache';

const ctx = { runtime: null, signal: new AbortController().signal, progress: () => {} };
const params = (over: Partial<KvParams> = {}): KvParams => ({ ...defaults(kvCacheMeta.schema), ...over });

describe('KV cache lab run() without WebGPU', () => {
  it('simulates both allocators from the default parameters into plain JSON', async () => {
    const r = await runKvCacheLab(ctx, params());
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.paged!.summary.waste).toBeLessThan(0.04);
    expect(r.contiguous!.summary.waste).toBeGreaterThan(0.5);
    expect(r.kernel).toBeNull();
    expect(r.config.numBlocks).toBe(512);
    expect(r.paged!.frames.length).toBeLessThanOrEqual(360);
    // The last frame of each map is empty memory: every request finished and freed its blocks.
    const maps = replayFrames(r.config.numBlocks, r.paged!.frames);
    expect(maps[maps.length - 1].every((c) => c === 0)).toBe(true);
    // Every request drawn on either map can be described on hover.
    for (const part of [r.paged!, r.contiguous!])
      for (const f of part.frames)
        for (let k = 1; k < f.diff.length; k += 2) {
          const c = unpackCell(f.diff[k]);
          if (c && c.owner >= 0) expect(r.requestInfo[c.owner], `request ${c.owner}`).toBeDefined();
        }
  });

  it('says which allocator cannot hold a request, and runs the other', async () => {
    // 48 blocks of 16 tokens: a 2,048-token reservation does not fit; paged serves what fits.
    const r = await runKvCacheLab(ctx, params({ memory: 48, memoryUnit: 'blocks', requests: 30 }));
    expect(r.contiguous).toBeNull();
    expect(r.contiguousError).toMatch(/contiguous KV memory has only 48 blocks/);
    expect(r.paged).not.toBeNull();
    await expect(runKvCacheLab(ctx, params({ memory: 0.0625, memoryUnit: 'blocks' }))).rejects.toThrow(
      /less than one block/,
    );
  });

  it('asks for a trace file when the workload is a trace, and runs a loaded one', async () => {
    await expect(runKvCacheLab(ctx, params({ workload: 'trace' }))).rejects.toThrow(/no trace is loaded/);
    loadTrace('t.csv', 'arrival,prompt,output\n0,100,50\n0.1,30,300\n');
    const r = await runKvCacheLab(ctx, params({ workload: 'trace' }));
    expect(r.trace.requests).toBe(2);
    expect(r.config.traceName).toBe('t.csv');
  });
});
