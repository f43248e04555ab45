import { describe, expect, it } from 'vitest';
import type { GpuInfo } from '../../src/gpu/device';
import { meta as memoryWallMeta } from '../../src/labs/memory-wall/meta';
import { runMemoryWall } from '../../src/labs/memory-wall/run';
import { defaults } from '../../src/labkit/schema';
import { validateParams } from '../../src/labkit/validate';
import type { LabRunContext } from '../../src/labkit/contract';
import { testRuntime } from '../helpers/gpu';

async function ctx(signal = new AbortController().signal): Promise<LabRunContext> {
  return { runtime: await testRuntime(), signal, progress: () => {} };
}

const small = { ...defaults(memoryWallMeta.schema), size: 65536 + 12, hidden: 768, samples: 3 };

describe('memory-wall lab run', () => {
  it('checks and times every variant and pass, and returns plain JSON', async () => {
    const r = await runMemoryWall(await ctx(), small);
    expect(r.rows.map((x) => x.key)).toEqual([
      'unfused',
      'pass:bias',
      'pass:gelu',
      'pass:residual',
      'fused',
      'fused_vec4',
    ]);
    for (const row of r.rows) {
      expect(row.medianMs).toBeGreaterThan(0);
      expect(row.gbPerS).toBeGreaterThan(0);
      if (!row.pass) expect(row.maxAbsError).toBeLessThan(1e-4);
    }
    expect(r.trafficRatio).toBeCloseTo((28 * r.n + 4 * r.h) / (12 * r.n + 4 * r.h), 12);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('refuses to run with no variant selected, and stops when cancelled', async () => {
    await expect(runMemoryWall(await ctx(), { ...small, unfused: false, fused: false, vec4: false })).rejects.toThrow(
      /Pick at least one variant/,
    );
    const ac = new AbortController();
    ac.abort(new DOMException('Cancelled by the user', 'AbortError'));
    await expect(runMemoryWall(await ctx(ac.signal), small)).rejects.toThrow(/Cancelled/);
  });

  it('clamps sizes to the device and explains bad values', () => {
    const info = { limits: { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 2 ** 30 } } as GpuInfo;
    const c = memoryWallMeta.clampToDevice!({ ...small, size: 2 ** 26 }, info);
    expect(c.values.size).toBe(2 ** 25);
    expect(c.notices[0].message).toMatch(/largest storage buffer \(128 MiB\); using 33,554,432/);
    expect(memoryWallMeta.clampToDevice!(small, info).notices).toEqual([]);
    const v = validateParams(memoryWallMeta.schema, { size: 'NaN', hidden: '0' });
    expect(v.values.size).toBe(2 ** 24);
    expect(v.values.hidden).toBe(4096); // 0 is out of range: the default, never the nearest bound
    expect(v.notices.map((n) => n.key)).toEqual(['size', 'hidden']);
  });
});
