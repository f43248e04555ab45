import { describe, expect, it } from 'vitest';
import { flashCost, standardCost, type AttentionShape } from '../../src/kernels/attention';
import { runAttentionLab } from '../../src/labs/attention/run';
import { attentionPeerJob, peerKey } from '../../src/labs/attention/peer';
import { meta as attentionMeta } from '../../src/labs/attention/meta';
import { buildSchedule, standardBytesAt, stepAt, tiledBytesAt } from '../../src/labs/attention/schedule';
import { testRuntime } from '../helpers/gpu';

describe('attention lab', () => {
  it('schedule steps end exactly at the cost model totals, causal and ragged', () => {
    const s: AttentionShape = { bh: 3, n: 100, d: 32, causal: true };
    const tile = { br: 16, bc: 24 };
    const sch = buildSchedule(s, tile);
    expect(sch.qBlocks).toBe(7);
    expect(sch.total).toBeLessThan(sch.qBlocks * sch.kBlocks);
    const fc = flashCost(s, tile);
    const sc = standardCost(s);
    expect(tiledBytesAt(sch, s, tile, sch.total - 1)).toBe(fc.bytesRead + fc.bytesWritten);
    expect(standardBytesAt(sch, s, sch.total - 1)).toBeCloseTo(sc.bytesRead + sc.bytesWritten, 6);
    let prev = 0;
    for (let t = 0; t < sch.total; t++) {
      const b = tiledBytesAt(sch, s, tile, t);
      expect(b).toBeGreaterThan(prev);
      prev = b;
    }
    expect(stepAt(sch, sch.start[3])).toEqual({ qb: 3, kb: 0 });
  });

  it('clamps a tile that does not fit workgroup memory, with the numbers', async () => {
    const rt = await testRuntime();
    const limit = rt.info.limits.maxComputeWorkgroupStorageSize;
    const { values, notices } = attentionMeta.clampToDevice!(
      { n: 256, d: '128', heads: 1, br: 128, rows: '2', bc: 128, causal: false, sweep: false },
      rt.info,
    );
    expect(notices[0].message).toContain(`this device has ${limit}`);
    expect(2 * values.bc * 128 * 4).toBeLessThanOrEqual(limit);
    expect(values.bc % 16).toBe(0);
  });

  it('clamps Br to the invocations the device allows, counting rows per invocation', async () => {
    const rt = await testRuntime();
    const maxInv = Math.min(rt.info.limits.maxComputeInvocationsPerWorkgroup, rt.info.limits.maxComputeWorkgroupSizeX);
    const big = { n: 256, d: '32', heads: 1, br: 4 * maxInv, bc: 16, causal: false, sweep: false } as const;
    const one = attentionMeta.clampToDevice!({ ...big, rows: '1' }, rt.info);
    expect(one.values.br).toBe(maxInv);
    expect(one.notices[0].message).toContain(`this device allows ${maxInv}`);
    expect(attentionMeta.clampToDevice!({ ...big, rows: '2' }, rt.info).values.br).toBe(2 * maxInv);
  });

  it('runs both paths, checks errors and counts, and returns plain JSON', async () => {
    const rt = await testRuntime();
    const progress: string[] = [];
    const r = await runAttentionLab(
      { runtime: rt, signal: new AbortController().signal, progress: (_f, t) => progress.push(t ?? '') },
      { n: 96, d: '32', heads: 2, br: 16, rows: '2', bc: 16, causal: true, sweep: true },
    );
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.standard).not.toBeNull();
    expect(r.tiled.maxError).toBeLessThan(1e-4);
    expect(r.standard!.maxError).toBeLessThan(1e-4);
    expect(r.tiled.counted).toEqual({ bytesRead: r.tiled.bytesRead, bytesWritten: r.tiled.bytesWritten });
    expect(r.standard!.counted).toEqual({ bytesRead: r.standard!.bytesRead, bytesWritten: r.standard!.bytesWritten });
    // The naive three-sweep rung runs beside the textbook baseline, also checked and counted.
    expect(r.threeSweep!.maxError).toBeLessThan(1e-4);
    expect(r.threeSweep!.counted).toEqual({
      bytesRead: r.threeSweep!.bytesRead,
      bytesWritten: r.threeSweep!.bytesWritten,
    });
    expect(r.threeSweep!.bytesRead).toBeGreaterThan(r.standard!.bytesRead);
    expect(r.sweep.map((p) => p.n)).toEqual([64, 96]);
    const t = r.traces[r.traces.length - 1];
    expect(t.steps[t.steps.length - 1].mNew).toBeCloseTo(t.rowMax, 12);
    expect(t.steps[t.steps.length - 1].l).toBeCloseTo(t.rowSum, 9);
    expect(progress).toContain('done');
  }, 300_000);

  it('says when the standard path does not fit and still runs the tiled one', async () => {
    const rt = await testRuntime();
    // The same device (and pipeline cache), seen through limits where one 128×128 score matrix (64 KiB) is too big.
    const limits = { ...rt.info.limits, maxStorageBufferBindingSize: 32 * 1024 };
    const small = Object.create(rt, { info: { value: { ...rt.info, limits } } }) as typeof rt;
    const r = await runAttentionLab(
      { runtime: small, signal: new AbortController().signal, progress: () => undefined },
      { n: 128, d: '32', heads: 1, br: 16, rows: '1', bc: 16, causal: true, sweep: false },
    );
    expect(r.standard).toBeNull();
    expect(r.standardNote).toMatch(/128×128 score matrix .* binds at most 32\.0 KiB/);
    expect(r.tiled.maxError).toBeLessThan(1e-4);
    expect(r.sweep[0].standardMs).toBeNull();
  });
});

describe('attention lab: comparison with onnxruntime-web', () => {
  it('checks both against float64, times them in alternating rounds by GPU timestamps, and keys on what it read', async () => {
    const rt = await testRuntime();
    const params = { n: 64, d: '32', heads: 2, br: 16, rows: '2', bc: 16, causal: false, sweep: false } as const;
    const progress: string[] = [];
    const r = await attentionPeerJob(
      { runtime: rt, signal: new AbortController().signal, progress: (_f, t) => progress.push(t ?? '') },
      params,
    );
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.ours.relError).toBeLessThan(1e-4);
    expect(r.ort.relError).toBeLessThan(1e-4);
    expect(r.ort.error).toBeNull();
    expect(r.ours.samplesMs).toHaveLength(r.rounds);
    expect(r.ort.samplesMs).toHaveLength(r.rounds);
    expect(r.ours.medianMs).toBeGreaterThan(0);
    expect(r.ort.medianMs).toBeGreaterThan(0);
    expect(r.ours.timing).toBe('timestamp');
    expect(r.ort.timing).toBe('timestamp');
    expect(r.ort.version).toMatch(/^\d+\.\d+/);
    expect(progress).toContain('done');
    // The sweep toggle does not change what the comparison runs; the tile does.
    expect(peerKey({ ...params, sweep: true })).toBe(peerKey(params));
    expect(peerKey({ ...params, rows: '1' })).not.toBe(peerKey(params));
  }, 300_000);

  it('stops when cancelled', async () => {
    const rt = await testRuntime();
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(
      attentionPeerJob(
        { runtime: rt, signal: ctrl.signal, progress: () => undefined },
        { n: 64, d: '32', heads: 1, br: 16, rows: '2', bc: 16, causal: false, sweep: false },
      ),
    ).rejects.toThrow(/Cancel|Abort/);
  });
});
