import { describe, expect, it } from 'vitest';
import { meta as deviceMeta } from '../../src/labs/device/meta';
import { defaults } from '../../src/labkit/schema';
import { labUrl, parseUrl } from '../../src/labkit/url';
import { validateParams } from '../../src/labkit/validate';
import type { GpuInfo } from '../../src/gpu/device';

const schema = deviceMeta.schema;

describe('lab parameters', () => {
  it('clamps out-of-range URL values with a message and never passes them on', () => {
    const { raw } = parseUrl('?lab=device&copyMiB=99999&fmaIterations=-5&samples=4.6');
    const v = validateParams(schema, raw);
    expect(v.values.copyMiB).toBe(1024);
    expect(v.values.fmaIterations).toBe(16);
    expect(v.values.samples).toBe(5);
    expect(v.notices.map((n) => n.key).sort()).toEqual(['copyMiB', 'fmaIterations', 'samples']);
    expect(v.notices.find((n) => n.key === 'copyMiB')!.message).toContain('outside 1–1024 MiB; using 1024');
  });

  it('rejects NaN, strings, partial numbers and unknown keys with notices, keeping defaults', () => {
    const v = validateParams(schema, { copyMiB: 'NaN', samples: '12abc', fmaThreads: '', '<img src=x>': '1' });
    expect(v.values).toEqual(defaults(schema));
    expect(v.notices).toHaveLength(4);
    expect(v.notices.at(-1)!.message).toBe('Ignored unknown parameter "<img src=x>".');
  });

  it('clamps to the device: buffers above the largest storage binding are refused with numbers', () => {
    const info = { limits: { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 } } as GpuInfo;
    const c = deviceMeta.clampToDevice!({ ...defaults(schema), copyMiB: 512 }, info);
    expect(c.values.copyMiB).toBe(128);
    expect(c.notices[0].message).toContain('128 MiB');
  });

  it('round-trips parameters through the URL, omitting defaults', () => {
    const values = { ...defaults(schema), copyMiB: 256, samples: 9 };
    const url = labUrl('device', schema, values);
    expect(url).toBe('?lab=device&copyMiB=256&samples=9');
    const back = validateParams(schema, parseUrl(url).raw);
    expect(back.values).toEqual(values);
    expect(back.notices).toEqual([]);
  });
});
