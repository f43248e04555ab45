import { describe, expect, it } from 'vitest';
import type { GpuInfo } from '../../src/gpu/device';
import { isAbortError } from '../../src/gpu/errors';
import { defaults } from '../../src/labs/schema';
import { clampTilingToDevice } from '../../src/labs/tiling/clamp';
import { tilingMeta } from '../../src/labs/tiling/meta';
import { runTilingLab } from '../../src/labs/tiling/run';
import { sweepTiles } from '../../src/labs/tiling/sweep';
import { validateParams } from '../../src/labs/validate';
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
    expect(v.values).toMatchObject({ M: 13, N: 1, K: 1, tileM: 256 });
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
});

describe('tiling lab run on Dawn', () => {
  const progress = () => {};
  it('measures naive and tiled on ragged sizes; results are plain JSON with exact counts and small error', async () => {
    const rt = await testRuntime();
    const params = { ...base, M: 37, N: 29, K: 41, variant: 'register-blocked', tileM: 16, tileN: 16, tileK: 8, block: 2 };
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

  it('a sweep records shapes the device refuses, highlights the best, and stops when cancelled', async () => {
    const rt = await testRuntime();
    const params = { ...base, M: 32, N: 32, K: 16, variant: 'tiled', tileK: 8 };
    const texts: string[] = [];
    const s = await sweepTiles({ runtime: rt, signal: new AbortController().signal, progress: (_f, t) => texts.push(t ?? '') }, params);
    expect(s.cells).toHaveLength(16);
    const refused = s.cells.filter((c) => c.refused);
    // 32×32, 32×16 and 16×32 need 1024 or 512 invocations.
    expect(refused.map((c) => `${c.tileM}x${c.tileN}`).sort()).toEqual(['16x32', '32x16', '32x32']);
    expect(refused[0].refused).toContain('invocations per workgroup');
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
