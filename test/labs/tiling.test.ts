import { describe, expect, it } from 'vitest';
import type { GpuInfo } from '../../src/gpu/device';
import { isAbortError } from '../../src/gpu/errors';
import { defaults } from '../../src/labkit/schema';
import { timeInRounds, type Contender } from '../../src/bench/rounds';
import { clampTilingToDevice } from '../../src/labs/tiling/clamp';
import { meta as tilingMeta } from '../../src/labs/tiling/meta';
import { tilingArgs } from '../../src/labs/tiling/params';
import { runTilingLab } from '../../src/labs/tiling/run';
import { sweepTiles } from '../../src/labs/tiling/sweep';
import { validateParams } from '../../src/labkit/validate';
import { testRuntime } from '../helpers/gpu';

const info = (over: Partial<GpuInfo['limits']> = {}, software = false): GpuInfo => ({
  vendor: 'test',
  architecture: 'test',
  description: '',
  name: 'test/test',
  software,
  timestampQuery: false,
  features: [],
  limits: {
    maxStorageBufferBindingSize: 2 ** 30,
    maxBufferSize: 2 ** 30,
    maxComputeWorkgroupStorageSize: 16384,
    maxComputeInvocationsPerWorkgroup: 256,
    maxComputeWorkgroupSizeX: 256,
    maxComputeWorkgroupSizeY: 256,
    maxComputeWorkgroupsPerDimension: 65535,
    maxStorageBuffersPerShaderStage: 8,
    ...over,
  },
});

const base = defaults(tilingMeta.schema);

describe('tiling lab parameters', () => {
  it('explains bad sizes at the control: non-integer, zero, negative, huge', () => {
    const v = validateParams(tilingMeta.schema, { M: '12.5', N: '0', K: '-3', tileM: '1e9' });
    expect(v.values).toMatchObject({ M: 13, N: 256, K: 256, tileM: 64 }); // out of range: the default, never the nearest bound
    const byKey = Object.fromEntries(v.notices.map((n) => [n.key, n.message]));
    expect(byKey.M).toContain('not a whole number');
    expect(byKey.N).toContain('outside 1–4096');
    expect(byKey.K).toContain('outside 1–4096');
    expect(byKey.tileM).toContain('outside');
  });

  it('shrinks tile K when the tiles need more workgroup memory than the device has, saying both numbers', () => {
    const c = clampTilingToDevice({ ...base, tileM: 128, tileN: 128, tileK: 64, block: 8 }, info());
    const n = c.notices.find((x) => x.key === 'tileK');
    expect(n?.message).toContain('needs 65536 bytes (64 KiB) of workgroup memory, this device has 16384 (16 KiB)');
    expect(c.values.tileK).toBe(16);
    expect((128 * 16 + 16 * 128) * 4).toBeLessThanOrEqual(16384);
  });

  it('shrinks the tile when it needs more invocations than the device allows, and suggests register blocking', () => {
    const c = clampTilingToDevice({ ...base, variant: 'tiled', tileM: 64, tileN: 64, tileK: 8 }, info());
    expect(c.notices.find((x) => x.key === 'tileM')?.message).toMatch(
      /needs 4096 invocations per workgroup, this device allows 256; using 16×16 \(or choose the register-blocked kernel/,
    );
    expect(c.values).toMatchObject({ tileM: 16, tileN: 16 });
  });

  it('fixes a block that does not divide the tile, and caps sizes on a software adapter', () => {
    const c = clampTilingToDevice({ ...base, tileM: 24, tileN: 64, block: 16, M: 4096 }, info({}, true));
    expect(c.values.block).toBe(8);
    expect(c.notices.find((x) => x.key === 'M')?.message).toContain('software GPU');
    expect(c.values.M).toBe(1024);
    expect(clampTilingToDevice(base, info()).notices).toEqual([]);
  });

  it('the vec4 kernel: block rows by one vec4, tile K and tile N rounded to multiples of 4 with a notice', () => {
    const v = { ...base, variant: 'register-blocked-vec4' as const, tileM: 64, tileN: 30, tileK: 10, block: 8 };
    expect(tilingArgs(v).shape).toEqual({ tileM: 64, tileN: 30, tileK: 10, blockM: 8, blockN: 4 });
    const c = clampTilingToDevice(v, info());
    expect(c.values).toMatchObject({ tileN: 32, tileK: 12, block: 8 });
    expect(c.notices.map((n) => n.key).sort()).toEqual(['tileK', 'tileN']);
    expect(c.notices[0].message).toContain('multiple of 4');
    expect(clampTilingToDevice({ ...base, variant: 'register-blocked-vec4' }, info()).notices).toEqual([]);
  });
});

describe('tiling bench rounds', () => {
  it('interleaves contenders in rotated order, calibrates once, and reports each one’s median over rounds', async () => {
    const log: string[] = [];
    // A load spike during the second round (timed samples 4 to 6) slows everyone timed then, ten
    // times; each contender has one spiked sample of three, so the medians are untouched.
    let timed = 0;
    const make = (name: string, ms: number): Contender => ({
      name,
      async sample(opts) {
        log.push(`${name}:${opts.repeats ?? 'cal'}`);
        const spiked = opts.repeats !== undefined && ++timed >= 4 && timed <= 6;
        return { ms: ms * (spiked ? 10 : 1), repeats: name === 'a' ? 3 : 5, timing: 'wallclock' };
      },
    });
    const r = await timeInRounds([make('a', 1), make('b', 2), make('c', 4)], {
      rounds: 3,
      calibrate: { minSampleMs: 5 },
    });
    expect(log).toEqual(['a:cal', 'b:cal', 'c:cal', 'a:3', 'b:5', 'c:5', 'b:5', 'c:5', 'a:3', 'c:5', 'a:3', 'b:5']);
    expect(r.map((x) => x.samplesMs.length)).toEqual([3, 3, 3]);
    expect(r.map((x) => x.medianMs)).toEqual([1, 2, 4]);
    expect(r.map((x) => Math.max(...x.samplesMs))).toEqual([10, 20, 40]);
    const once = await timeInRounds([make('a', 1)], { rounds: 2, calibrate: null });
    expect(once[0].samplesMs).toHaveLength(2);
  });
});

describe('tiling lab run on Dawn', () => {
  const progress = () => {};
  it('measures naive and tiled on ragged sizes; results are plain JSON with exact counts and small error', async () => {
    const rt = await testRuntime();
    const params = {
      ...base,
      M: 37,
      N: 29,
      K: 41,
      variant: 'register-blocked' as const,
      tileM: 16,
      tileN: 16,
      tileK: 8,
      block: 2,
    };
    const r = await runTilingLab({ runtime: rt, signal: new AbortController().signal, progress }, params);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.runs.map((x) => x.variant)).toEqual(['naive', 'register-blocked']);
    for (const run of r.runs) {
      expect(run.relError).toBeLessThan(1e-5);
      expect(run.checkedOutputs).toBe(37 * 29);
      expect(run.counted).toEqual({ bytesRead: run.cost.bytesRead, bytesWritten: run.cost.bytesWritten });
      expect(run.gflopPerS).toBeGreaterThan(0);
    }
    expect(r.runs[1].cost.bytesRead).toBe((37 * 41 * 2 + 41 * 29 * 3) * 4);
  });

  it('runs the vec4 kernel on ragged sizes (element-wise edges) with exact counts', async () => {
    const rt = await testRuntime();
    const params = {
      ...base,
      M: 37,
      N: 29,
      K: 41,
      variant: 'register-blocked-vec4' as const,
      tileM: 16,
      tileN: 16,
      tileK: 8,
      block: 4,
    };
    const r = await runTilingLab({ runtime: rt, signal: new AbortController().signal, progress }, params);
    expect(r.runs.map((x) => x.variant)).toEqual(['naive', 'register-blocked-vec4']);
    const run = r.runs[1];
    expect(run.relError).toBeLessThan(1e-5);
    expect(run.counted).toEqual({ bytesRead: run.cost.bytesRead, bytesWritten: run.cost.bytesWritten });
    expect(run.cost.bytesRead).toBe((37 * 41 * 2 + 41 * 29 * 3) * 4);
  });

  it('a sweep records shapes the device refuses, highlights the best, and stops when cancelled', async () => {
    const rt = await testRuntime();
    const params = { ...base, M: 32, N: 32, K: 16, variant: 'tiled' as const, tileK: 8 };
    const texts: string[] = [];
    const s = await sweepTiles(
      { runtime: rt, signal: new AbortController().signal, progress: (_f, t) => texts.push(t ?? '') },
      params,
    );
    expect(s.cells).toHaveLength(16);
    const refused = s.cells.filter((c) => c.refused);
    // One invocation per output: refused exactly where tileM·tileN passes this adapter's limit
    // (256 on SwiftShader: 32×32, 32×16 and 16×32; 1024 on lavapipe: none).
    const maxInv = rt.info.limits.maxComputeInvocationsPerWorkgroup;
    const tooMany = s.cells.filter((c) => c.tileM * c.tileN > maxInv).map((c) => `${c.tileM}x${c.tileN}`);
    expect(refused.map((c) => `${c.tileM}x${c.tileN}`).sort()).toEqual(tooMany.sort());
    for (const c of refused) expect(c.refused).toContain('invocations per workgroup');
    for (const c of s.cells.filter((x) => !x.refused)) expect(c.gflopPerS).toBeGreaterThan(0);
    expect(s.best && s.cells.every((c) => c.gflopPerS === null || c.gflopPerS <= s.best!.gflopPerS)).toBe(true);
    expect(texts.some((t) => t.includes('of 16'))).toBe(true);

    const ctrl = new AbortController();
    let seen = 0;
    const cancelled = sweepTiles(
      {
        runtime: rt,
        signal: ctrl.signal,
        progress: () => {
          if (++seen === 2) ctrl.abort(new DOMException('Cancelled by the user', 'AbortError'));
        },
      },
      params,
    );
    const e = await cancelled.catch((x: unknown) => x);
    expect(isAbortError(e)).toBe(true);
  });
});
