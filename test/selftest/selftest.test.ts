import { describe, expect, it } from 'vitest';
import { LimitError } from '../../src/gpu/errors';
import { GpuRuntime } from '../../src/gpu/runtime';
import { createAddBias } from '../../src/kernels/linear';
import { FLASH_F16_NOT_OFFERED } from '../../src/kernels/attention';
import { MATMUL_FEATURE_BUILDS, MATMUL_VARIANTS } from '../../src/kernels/matmul';
import { prepareOp } from '../../src/kernels/op';
import { FEATURE_BUILDS, QUANT_VARIANTS } from '../../src/kernels/quant';
import { ACTIVATION_VARIANTS } from '../../src/kernels/activation';
import {
  decodeReport,
  enabledFeatures,
  encodeReport,
  parseReport,
  reportText,
  runSelfTest,
  selfTestCases,
  type SelfTestCase,
} from '../../src/selftest';
import { opCase } from '../../src/selftest/cases/outputs';
import { randomFloats, testRuntime } from '../helpers/gpu';

const APP = { name: 'gpu-playground', version: 'test', commit: null };

/** y += bias on a 3×5 matrix: a real kernel that compiles in milliseconds; `off` shifts the reference. */
function addBiasCase(variant: string, off = 0): SelfTestCase {
  const y = randomFloats(15, 1);
  const bias = randomFloats(5, 2);
  return {
    family: 'test',
    variant,
    shape: '3×5',
    tolerance: () => 1e-6,
    async prepare(rt) {
      const k = await prepareOp(rt, await createAddBias(rt, { rows: 3, cols: 5 }), { y, bias }, 'y');
      return opCase(k, { y: Float64Array.from(y, (v, i) => v + bias[i % 5] + (i === 7 ? off : 0)) });
    },
  };
}

/** A one-binding shader, optionally with an `enable` directive. */
function shaderCase(variant: string, enable: string, bindGroups: 'none' | 'right' = 'right'): SelfTestCase {
  return {
    family: 'test',
    variant,
    shape: '1 value',
    tolerance: () => 0,
    async prepare(rt) {
      const code = `${enable}
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(1) fn main() { out[0] = 2.0; }`;
      const pipeline = await rt.pipelines.compute({ code, label: `test/${variant}` });
      const buf = rt.device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const groups =
        bindGroups === 'right'
          ? [
              rt.device.createBindGroup({
                layout: pipeline.getBindGroupLayout(0),
                entries: [{ binding: 0, resource: { buffer: buf } }],
              }),
            ]
          : [];
      return {
        steps: [{ pipeline, bindGroups: groups, workgroups: [1] }],
        outputs: async () => [
          { name: 'out', check: { error: 0, maxAbs: 0, scale: 2, index: -1, got: NaN, want: NaN, checked: 1 } },
        ],
        dispose: () => buf.destroy(),
      };
    },
  };
}

describe('the self-test runner', () => {
  it('reports a wrong reference as a failure with its error and worst element, and goes on to the next variant', async () => {
    const rt = await testRuntime();
    const r = await runSelfTest(rt, {
      app: APP,
      environment: 'vitest',
      samples: 1,
      cases: [addBiasCase('wrong', 0.5), addBiasCase('right')],
    });
    const [wrong, right] = r.results;
    expect(wrong.status).toBe('fail');
    expect(wrong.worst).toMatchObject({ output: 'y', index: 7 });
    expect(wrong.maxAbs).toBeCloseTo(0.5, 6);
    expect(wrong.error).toBeGreaterThan(1e-6);
    expect(wrong.message).toMatch(/^y: max \|error\| 0\.5 is .* tolerance 1\.00e-6; worst at index 7/);
    expect(wrong.steadyMs).toBeNull(); // a wrong kernel is not timed
    expect(right).toMatchObject({ status: 'pass', error: 0 });
    expect(right).not.toHaveProperty('message');
    expect(right.compileMs).toBeGreaterThan(0);
    expect(right.firstDispatchMs).toBeGreaterThan(0);
    expect(right.steadyMs).toBeGreaterThan(0);
    expect(r.summary).toEqual({ pass: 1, fail: 1, skip: 0 });
    expect(reportText(r)).toContain('FAIL test/wrong: y: max |error| 0.5');
  });

  it('skips a variant whose feature is missing, with the reason, whether declared or found in its WGSL', async () => {
    const rt = await testRuntime();
    const declared: SelfTestCase = {
      ...addBiasCase('declared'),
      needs: [{ feature: 'no-such-feature', reason: 'this adapter has no no-such-feature' }],
    };
    const r = await runSelfTest(rt, {
      app: APP,
      environment: 'vitest',
      samples: 0,
      cases: [declared, shaderCase('f16', 'enable f16;'), shaderCase('made-up', 'enable made_up_extension;')],
    });
    expect(r.results[0]).toMatchObject({
      status: 'skip',
      message: 'this adapter has no no-such-feature',
      features: ['no-such-feature'],
    });
    // SwiftShader has no shader-f16; an adapter with it (lavapipe) compiles and runs the case.
    if (rt.info.features.includes('shader-f16'))
      expect(r.results[1]).toMatchObject({ status: 'pass', features: ['shader-f16'] });
    else
      expect(r.results[1]).toMatchObject({
        status: 'skip',
        message: 'test/f16 enables shader-f16, which this adapter does not offer (no f16 arithmetic in shaders)',
        features: ['shader-f16'],
      });
    expect(r.results[2]).toMatchObject({ status: 'skip', features: ['made-up-extension'] });
    expect(enabledFeatures('enable f16, subgroups;\nfn f() {}\n// enable nothing;')).toEqual([
      'shader-f16',
      'subgroups',
    ]);
  });

  it('captures a validation error, a thrown error and a limit, each in its own row, and runs the rest', async () => {
    const rt = await testRuntime();
    const throws: SelfTestCase = {
      ...addBiasCase('throws'),
      prepare: async () => {
        throw new RangeError('deliberately broken host');
      },
    };
    const limited: SelfTestCase = {
      ...addBiasCase('limited'),
      prepare: async () => {
        throw new LimitError('needs 64 KiB of workgroup memory; this device has 32 KiB');
      },
    };
    const r = await runSelfTest(rt, {
      app: APP,
      environment: 'vitest',
      samples: 0,
      cases: [shaderCase('unbound', '', 'none'), throws, limited, addBiasCase('after')],
    });
    expect(r.results.map((x) => x.status)).toEqual(['fail', 'fail', 'skip', 'pass']);
    expect(r.results[0].message).toMatch(/GPU validation error while the first dispatch of test\/unbound/);
    expect(r.results[1].message).toBe('RangeError during preparing: deliberately broken host');
    expect(r.results[2].message).toBe('needs 64 KiB of workgroup memory; this device has 32 KiB');
  });
});

describe('a lost device', () => {
  it('fails the variant it happened in, with the loss named, and the next variant runs on the recovered device', async () => {
    const rt = await GpuRuntime.create({ label: 'selftest-loss' });
    try {
      const loses: SelfTestCase = {
        ...addBiasCase('loses'),
        async prepare(probe) {
          probe.device.destroy();
          // The loss arrives as an event; wait for it rather than for work on a dead device.
          await probe.device.lost;
          return new Promise(() => {});
        },
      };
      const r = await runSelfTest(rt, {
        app: APP,
        environment: 'vitest',
        samples: 0,
        cases: [loses, addBiasCase('after')],
      });
      expect(r.results[0].status).toBe('fail');
      expect(r.results[0].message).toMatch(/^the device was lost during preparing: GPU device lost \(destroyed\)/);
      expect(r.results[1].status).toBe('pass');
      expect(rt.generation).toBe(2);
    } finally {
      rt.dispose();
    }
  });
});

describe('the cases come from the kernels’ own variant lists', () => {
  const cases = selfTestCases();
  const ids = cases.map((c) => `${c.family}/${c.variant}`);
  it('one case per listed variant, ids unique', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(cases.filter((c) => c.family === 'matmul').map((c) => c.variant)).toEqual([
      ...MATMUL_VARIANTS,
      ...MATMUL_FEATURE_BUILDS.map((fb) => `${fb.variant}+${fb.build}`),
    ]);
    for (const fb of MATMUL_FEATURE_BUILDS)
      expect(cases.find((c) => c.variant === `${fb.variant}+${fb.build}`)?.needs).toEqual([
        { feature: fb.feature, reason: fb.notOffered },
      ]);
    for (const v of QUANT_VARIANTS) expect(ids).toContain(`decode/GEMV ${v}`);
    for (const fb of FEATURE_BUILDS)
      expect(cases.find((c) => c.variant === `GEMV ${fb.short}`)?.needs).toEqual([
        { feature: fb.feature, reason: fb.notOffered },
      ]);
    expect(cases.filter((c) => c.variant.startsWith('bias + GELU'))).toHaveLength(ACTIVATION_VARIANTS.length);
    expect(ids).toContain('decode/paged KV attention');
    expect(ids).toContain('attention/textbook (standard)');
    expect(cases.find((c) => c.variant === 'tiled, f16 storage, 2 rows per invocation')?.needs).toEqual([
      { feature: 'shader-f16', reason: FLASH_F16_NOT_OFFERED },
    ]);
    expect(ids).toContain('training/attention backward');
  });

  it('the activation and precision kernels pass on this adapter', async () => {
    const rt = await testRuntime();
    const r = await runSelfTest(rt, { app: APP, environment: 'vitest', samples: 0, families: ['elementwise'] });
    expect(r.results.map((x) => [x.id, x.status, x.message])).toEqual(r.results.map((x) => [x.id, 'pass', undefined]));
    expect(r.results).toHaveLength(ACTIVATION_VARIANTS.length + 1);
  });
});

describe('the shared report', () => {
  async function sample() {
    const rt = await testRuntime();
    return runSelfTest(rt, {
      app: APP,
      environment: '<img src=x onerror=alert(1)>',
      samples: 0,
      cases: [addBiasCase('wrong', 0.5), addBiasCase('right')],
    });
  }

  it('round-trips through a link: the same rows, numbers to four digits, markup kept as plain text', async () => {
    const r = await sample();
    const d = decodeReport(`#report=${encodeReport(r)}`);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.report.environment).toBe('<img src=x onerror=alert(1)>');
    expect(d.report.results.map((x) => [x.id, x.status, x.message])).toEqual(
      r.results.map((x) => [x.id, x.status, x.message]),
    );
    expect(d.report.results[0].maxAbs).toBe(Number(r.results[0].maxAbs!.toPrecision(4)));
    expect(d.report.adapter).toEqual(r.adapter);
  });

  it('refuses damaged, oversized and ill-typed reports with a named problem; recounts the summary', async () => {
    const r = await sample();
    expect(decodeReport('#report=@@@')).toEqual({
      ok: false,
      problem: 'the report in the link has characters outside base64url',
    });
    expect(decodeReport('#report=AAAA').ok).toBe(false);
    expect(decodeReport(`#report=${'A'.repeat(70_000)}`)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/more than 60000/),
    });
    const bad = (edit: (o: Record<string, unknown>) => void) => {
      const o = JSON.parse(JSON.stringify(r));
      edit(o);
      return parseReport(o);
    };
    expect(bad((o) => (o.format = 2))).toMatchObject({ ok: false, problem: expect.stringMatching(/format 1/) });
    expect(bad((o) => ((o.results as { status: string }[])[0].status = 'great'))).toMatchObject({
      ok: false,
      problem: 'the report is not valid: results[0].status is not pass, fail or skip',
    });
    expect(bad((o) => ((o.adapter as { limits: Record<string, unknown> }).limits.maxBufferSize = '1e9'))).toMatchObject(
      {
        ok: false,
        problem: 'the report is not valid: adapter.limits.maxBufferSize is not a finite number',
      },
    );
    expect(bad((o) => ((o.results as { message: string }[])[0].message = 'x'.repeat(5000)))).toMatchObject({
      ok: false,
    });
    const lying = bad((o) => (o.summary = { pass: 99, fail: 0, skip: 0 }));
    expect(lying.ok && lying.report.summary).toEqual({ pass: 1, fail: 1, skip: 0 });
  });
});
