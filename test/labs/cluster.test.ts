import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/labkit/schema';
import { meta } from '../../src/labs/cluster/meta';
import { runCluster, type ClusterParams } from '../../src/labs/cluster/run';
import { LLAMA3_RATE_PER_GPU_HOUR } from '../../src/sim/cluster';

const ctx = { runtime: null, signal: new AbortController().signal, progress: () => {} };
const base = defaults(meta.schema) as ClusterParams;

describe('cluster lab run', () => {
  it('computes memory, step time, scaling, a pipeline and a failure run from the defaults', async () => {
    const t0 = performance.now();
    const r = await runCluster(ctx, base);
    const ms = performance.now() - t0;
    expect(r.layoutProblems).toEqual([]);
    expect(r.memory.map((m) => m.strategy)).toEqual(['zero3', 'ddp', 'zero1', 'zero2']);
    // 6.7B with DDP needs 16 bytes × Ψ ≈ 106 GB: over an H100’s 80 GB; ZeRO-3 over 512 ranks fits.
    expect(r.memory.find((m) => m.strategy === 'ddp')!.m.total / 1e9).toBeGreaterThan(80);
    expect(r.memory[0].m.total / 1e9).toBeLessThan(80);
    expect(r.step!.mfu).toBeGreaterThan(0);
    expect(r.step!.mfu).toBeLessThanOrEqual(base.efficiency);
    expect(r.pipeline.timeline!.bubbleRelative).toBeCloseTo(3 / 8, 12);
    expect(r.failure.result!.horizonH).toBe(14 * 24);
    expect(r.failure.config!.failuresPerGpuHour).toBe(LLAMA3_RATE_PER_GPU_HOUR);
    expect(r.failure.sweep.length).toBe(17);
    // Plain JSON: the shell stores results and scenarios record them.
    expect(JSON.parse(JSON.stringify(r)).model.params).toBe(r.model.params);
    expect(ms).toBeGreaterThan(0);
  });

  it('explains a layout that cannot run instead of throwing', async () => {
    const r = await runCluster(ctx, { ...base, gpus: 100, tp: 8 });
    expect(r.layoutProblems[0]).toMatch(/multiple of tensor × pipeline/);
    expect(r.step).toBeNull();
    expect(r.pipeline.timeline).not.toBeNull();
    const bad = await runCluster(ctx, { ...base, model: 'custom', hidden: 1000, heads: 3 });
    expect(bad.layoutProblems[0]).toMatch(/not divisible/);
    const pipe = await runCluster(ctx, { ...base, schedule: 'interleaved', ganttStages: 4, ganttMicrobatches: 6 });
    expect(pipe.pipeline.problems[0]).toMatch(/multiple of stages/);
    const nodes = await runCluster(ctx, { ...base, gpus: 4 });
    expect(nodes.failure.problems[0]).toMatch(/whole nodes/);
    expect(nodes.memory.length).toBe(4);
  });

  it('injects the crash at the hour asked', async () => {
    const r = await runCluster(ctx, { ...base, crashAtHour: 40, seed: 3 });
    expect(r.failure.result!.events.some((e) => e.kind === 'hardware-failure' && e.t === 40)).toBe(true);
  });

  it('takes checkpoint time from bytes and storage bandwidth', async () => {
    const remote = await runCluster(ctx, { ...base, storage: 'remote', remoteGBps: 50 });
    const local = await runCluster(ctx, { ...base, storage: 'local', localGBps: 5 });
    const bytes = remote.failure.checkpointBytes;
    expect(bytes).toBe(14 * remote.model.params);
    expect(remote.failure.config!.writeH * 3600).toBeCloseTo(bytes / 50e9, 9);
    expect(local.failure.config!.writeH * 3600).toBeCloseTo((2 * bytes) / 64 / 5e9, 9);
  });
});
