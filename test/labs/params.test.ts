import { describe, expect, it } from 'vitest';
import { meta as deviceMeta } from '../../src/labs/device/meta';
import { defaults, type ParamSpec } from '../../src/labkit/schema';
import { LABS } from '../../src/labs/registry';
import { heavyNotice, modelledLoad } from '../../src/labkit/cost';
import { labUrl, MAX_PARAM_KEYS, MAX_PARAM_VALUE, MAX_TEXT_VALUE, parseUrl } from '../../src/labkit/url';
import { validateParams } from '../../src/labkit/validate';
import type { GpuInfo } from '../../src/gpu/device';

const schema = deviceMeta.schema;

describe('lab parameters', () => {
  // Issue 24, item 6: clamping to the maximum let a link start the heaviest setup a lab has.
  it('refuses out-of-range URL values: the default is used, never the maximum, with a message', () => {
    const { raw } = parseUrl('?lab=device&copyMiB=99999&fmaIterations=-5&samples=4.6&fmaThreads=1e12');
    const v = validateParams(schema, raw);
    expect(v.values.copyMiB).toBe(64);
    expect(v.values.fmaIterations).toBe(256);
    expect(v.values.fmaThreads).toBe(256);
    expect(v.values.samples).toBe(5);
    expect(v.notices.map((n) => n.key).sort()).toEqual(['copyMiB', 'fmaIterations', 'fmaThreads', 'samples']);
    expect(v.notices.find((n) => n.key === 'copyMiB')!.message).toBe(
      'Copy buffer: 99999 is outside 1–1024 MiB; using 64 (the default).',
    );
    // An edit on top of current values keeps the value it had.
    const edit = validateParams(schema, { copyMiB: '5000' }, { ...defaults(schema), copyMiB: 128 });
    expect(edit.values.copyMiB).toBe(128);
    expect(edit.notices[0].message).toBe('Copy buffer: 5000 is outside 1–1024 MiB; using 128 (the value it had).');
  });

  // Issue 24, item 5: a 5 MB value was accepted and 200,000 keys took 13 s.
  it('refuses too many parameters and over-long values before reading them, by name', () => {
    const many = `?lab=device&${Array.from({ length: 200_000 }, (_, i) => `k${i}=1`).join('&')}`;
    const u = parseUrl(many);
    expect(u.lab).toBe('device');
    expect(Object.keys(u.raw)).toHaveLength(MAX_PARAM_KEYS - 1);
    expect(u.notices).toEqual([
      `This link has more than ${MAX_PARAM_KEYS} parameters; only the first ${MAX_PARAM_KEYS} were read.`,
    ]);
    const long = parseUrl(`?lab=device&copyMiB=${'9'.repeat(5_000_000)}&samples=9`);
    expect(long.raw).toEqual({ samples: '9' });
    expect(long.notices).toEqual([
      `Ignored parameter "copyMiB": longer than ${MAX_PARAM_VALUE} characters, more than any setting needs.`,
    ]);
  });

  it("lets a compressed config.json (base64url, up to every text parameter's length) through, and nothing longer", () => {
    const texts = LABS.flatMap((l) => (l.schema as readonly ParamSpec[]).filter((s) => s.kind === 'text'));
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) if (t.kind === 'text') expect(t.maxLength, t.key).toBeLessThanOrEqual(MAX_TEXT_VALUE);
    const config = 'Ab-_9'.repeat(400);
    expect(parseUrl(`?lab=cluster&config=${config}`).raw).toEqual({ config });
    const over = parseUrl(`?lab=cluster&config=${'A'.repeat(MAX_TEXT_VALUE + 1)}&tp=2`);
    expect(over.raw).toEqual({ tp: '2' });
    expect(over.notices).toEqual([
      `Ignored parameter "config": longer than ${MAX_PARAM_VALUE} characters, more than any setting needs.`,
    ]);
    // Past the ordinary limit only that alphabet passes: a long value with any other character is refused.
    expect(parseUrl(`?lab=cluster&config=${'A'.repeat(300)}.`).raw).toEqual({});
  });

  it('models a setup far above the defaults as heavy, so it waits for a click', () => {
    const gpuLab = { gpu: 'required', schema };
    expect(heavyNotice(gpuLab, defaults(schema))).toBeNull();
    expect(modelledLoad(schema, { ...defaults(schema), copyMiB: 1024 }).factor).toBe(16);
    expect(heavyNotice(gpuLab, { ...defaults(schema), copyMiB: 1024 })).toBeNull();
    const heavy = { ...defaults(schema), copyMiB: 1024, fmaIterations: 8192 };
    expect(modelledLoad(schema, heavy)).toEqual({
      factor: 512,
      drivers: ['FMA chain length = 8192 (32×)', 'Copy buffer = 1024 (16×)'],
    });
    expect(heavyNotice(gpuLab, heavy)).toBe(
      'Heavy setup: about 512× the default’s work (FMA chain length = 8192 (32×), Copy buffer = 1024 (16×)), so it does not start by itself. Press Run to start it.',
    );
    // Simulations are not gated: their numbers (seeds, times) are not GPU work.
    expect(heavyNotice({ gpu: 'none', schema }, heavy)).toBeNull();
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
