import { describe, expect, it } from 'vitest';
import { checkKernel } from '../../src/labs/workbench/check/harness';
import { evaluate } from '../../src/labs/workbench/check/expr';
import { instrument, workgroupArrays } from '../../src/labs/workbench/check/instrument';
import { EXERCISES, findExercise } from '../../src/labs/workbench/exercises';
import { codeFromHash, decodeCode, encodeCode } from '../../src/labs/workbench/persist';
import { testRuntime } from '../helpers/gpu';

const total = (c: { bytesRead: number; bytesWritten: number }) => c.bytesRead + c.bytesWritten;
const target = (c: { targetRead: number; targetWritten: number }) => c.targetRead + c.targetWritten;

describe('workbench exercises on Dawn', () => {
  for (const ex of EXERCISES) {
    it(`${ex.id}: the reference solution passes every case with traffic exactly at the target`, async () => {
      const rt = await testRuntime();
      const r = await checkKernel(rt, ex, ex.solution, { timing: false });
      expect(r.message).toMatch(/All cases pass/);
      expect(r.status).toBe('pass');
      expect(r.trafficAtTarget).toBe(true);
      for (const c of r.cases) {
        expect(c.bytesRead, c.label).toBe(c.targetRead);
        expect(c.bytesWritten, c.label).toBe(c.targetWritten);
      }
    });

    it(`${ex.id}: the starter is correct but moves more bytes than the target`, async () => {
      const rt = await testRuntime();
      const r = await checkKernel(rt, ex, ex.starter, { timing: false });
      expect(r.status, r.message).toBe('pass');
      expect(r.trafficAtTarget).toBe(false);
      // The largest case shows the gap the exercise is about.
      const last = r.cases[r.cases.length - 1];
      expect(total(last)).toBeGreaterThan(target(last) * 1.3);
    });
  }

  it('has the five exercises, each with ragged sizes among its hidden cases', () => {
    expect(EXERCISES.map((e) => e.id)).toEqual([
      'bias-gelu',
      'row-softmax',
      'tiled-matmul',
      'attention-block',
      'paged-gather',
    ]);
    for (const ex of EXERCISES) {
      expect(ex.cases.sizes.length).toBeGreaterThanOrEqual(3);
      // At least one size is not a multiple of 8: edges must be handled.
      expect(
        ex.cases.sizes.some((s) => Object.values(s).some((v) => v % 8 !== 0)),
        ex.id,
      ).toBe(true);
    }
  });
});

describe('workbench checker verdicts', () => {
  const gelu = findExercise('bias-gelu');

  it('a wrong kernel fails with the exact index, coordinates, expected and got values', async () => {
    const rt = await testRuntime();
    const wrong = gelu.solution.replace('y[i] = gelu(v);', 'y[i] = gelu(v) + select(0.0, 1.0, i == 77u);');
    expect(wrong).not.toBe(gelu.solution);
    const r = await checkKernel(rt, gelu, wrong, { timing: false });
    expect(r.status).toBe('fail');
    const c = r.cases[1]; // rows=7 cols=13: n = 91, so index 77 is row 5, column 12
    expect(c.pass).toBe(false);
    expect(c.mismatches).toBe(1);
    expect(c.worst?.index).toBe(77);
    expect(c.worst?.coords).toEqual([5, 12]);
    expect(Number(c.worst?.got) - c.worst!.expected).toBeCloseTo(1, 4);
    expect(r.cases[0].pass).toBe(true);
    expect(r.message).toMatch(/worst at index 77 \(5, 12\): expected -?\d/);
  });

  it('an output the kernel never writes is reported as not written', async () => {
    const rt = await testRuntime();
    const skipsLast = gelu.solution.replace('if (i >= p.n) {', 'if (i + 1u >= p.n) {');
    const r = await checkKernel(rt, gelu, skipsLast, { timing: false });
    expect(r.status).toBe('fail');
    expect(r.cases[0].worst).toMatchObject({ index: 0, notWritten: true, got: 'not written' });
    expect(r.message).toMatch(/never written/);
  });

  it('an endless loop is cut short by the iteration guard and reported, in bounded time', async () => {
    const rt = await testRuntime();
    const endless = gelu.solution.replace(
      'let v = x[i] + bias[i % p.cols];',
      'var v = x[i] + bias[i % p.cols];\n  for (var k = 0u; k < 10u; k = k * 2u) { v = v * 1.0001; }',
    );
    const t0 = performance.now();
    const r = await checkKernel(rt, gelu, endless, { timing: false });
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(r.status).toBe('timeout');
    expect(r.message).toMatch(/loop ran past the iteration limit \(1,048,576 per invocation/);
    // The device survives: the next check runs normally.
    const ok = await checkKernel(rt, gelu, gelu.solution, { timing: false });
    expect(ok.status).toBe('pass');
  });

  it('an endless loop around a barrier is contained by the per-workgroup guard', async () => {
    const rt = await testRuntime();
    const mm = findExercise('tiled-matmul');
    const endless = mm.solution.replace('for (var t = 0u; t < tiles; t++) {', 'for (var t = 0u; t < tiles; t += 0u) {');
    expect(endless).not.toBe(mm.solution);
    const t0 = performance.now();
    const r = await checkKernel(rt, mm, endless, { timing: false });
    expect(performance.now() - t0).toBeLessThan(60_000);
    expect(r.status).toBe('timeout');
    expect(r.cases[0].guardTrips).toBeGreaterThan(0);
  });

  it('out-of-bounds accesses are reported with the buffer, index and length', async () => {
    const rt = await testRuntime();
    const sm = findExercise('row-softmax');
    const oob = sm.starter.replace(
      'for (var c = 0u; c < p.cols; c++) {\n    m = max',
      'for (var c = 0u; c <= p.cols; c++) {\n    m = max',
    );
    expect(oob).not.toBe(sm.starter);
    const r = await checkKernel(rt, sm, oob, { timing: false });
    expect(r.status).toBe('fail');
    expect(r.cases[0].oob).toEqual({ count: 1, binding: 'x', index: 1, length: 1 });
    expect(r.message).toMatch(/Out-of-bounds access: x\[1\] is past the end \(length 1\)/);
  });

  it('out-of-bounds indices into workgroup memory are reported too', async () => {
    const rt = await testRuntime();
    const mm = findExercise('tiled-matmul');
    const offByOne = mm.solution.replace('for (var k = 0u; k < T; k++) {', 'for (var k = 0u; k <= T; k++) {');
    expect(offByOne).not.toBe(mm.solution);
    const r = await checkKernel(rt, mm, offByOne, { timing: false });
    expect(r.status).toBe('fail');
    expect(r.cases[0].oob).toMatchObject({ binding: 'Bs (workgroup memory)', index: 16, length: 16 });
    expect(r.message).toMatch(/Out-of-bounds access: Bs \(workgroup memory\)\[16\] is past the end \(length 16\)/);
  });

  it('compile errors come back with line and column, without running anything', async () => {
    const rt = await testRuntime();
    const broken = gelu.starter.replace('let i = gid.x;', 'let i = gid.x +;');
    const r = await checkKernel(rt, gelu, broken, { timing: false });
    expect(r.status).toBe('compile-error');
    expect(r.message).toMatch(/^1 compile error; first at line \d+, column \d+: /);
    const line = broken.split('\n').findIndex((l) => l.includes('gid.x +;')) + 1;
    expect(r.diagnostics[0]).toMatchObject({ type: 'error', line });
    expect(r.diagnostics[0].column).toBeGreaterThan(0);
    expect(r.cases).toEqual([]);
  });

  it('bindings that do not match the exercise are explained', async () => {
    const rt = await testRuntime();
    const readOnlyOut = gelu.solution.replace('var<storage, read_write> y', 'var<storage, read> y');
    const r1 = await checkKernel(rt, gelu, readOnlyOut.replace('y[i] = gelu(v);', '_ = y[i];'), { timing: false });
    expect(r1.status).toBe('invalid');
    expect(r1.message).toMatch(/y is written by the kernel; declare it var<storage, read_write>/);
    const wrongType = gelu.solution
      .replace('var<storage, read> bias: array<f32>', 'var<storage, read> bias: array<u32>')
      .replace('bias[i % p.cols]', 'f32(bias[i % p.cols])');
    const r2 = await checkKernel(rt, gelu, wrongType, { timing: false });
    expect(r2.status).toBe('invalid');
    expect(r2.message).toMatch(/bias holds f32 values/);
    const swapped = gelu.solution.replaceAll(
      'struct Params { rows: u32, cols: u32, n: u32 }',
      'struct Params { cols: u32, rows: u32, n: u32 }',
    );
    const r3 = await checkKernel(rt, gelu, swapped, { timing: false });
    expect(r3.status).toBe('invalid');
    expect(r3.message).toMatch(/field 1 is cols: u32, expected rows: u32/);
    const tooWide = gelu.solution.replace('@workgroup_size(64)', '@workgroup_size(64, 64)');
    const r4 = await checkKernel(rt, gelu, tooWide, { timing: false });
    expect(r4.status).toBe('invalid');
    expect(r4.message).toMatch(
      new RegExp(`is 4096 invocations; this device allows ${rt.device.limits.maxComputeInvocationsPerWorkgroup}`),
    );
  });

  it('times the kernel and measures the naive traffic for comparison', async () => {
    const rt = await testRuntime();
    const r = await checkKernel(rt, gelu, gelu.solution, {
      timing: { warmup: 0, samples: 3, minSampleMs: 0, maxRepeats: 2 },
      naive: true,
    });
    expect(r.status).toBe('pass');
    expect(r.timing?.medianMs).toBeGreaterThan(0);
    const last = r.cases[r.cases.length - 1];
    // Unfused: 20 bytes per element against 12.
    expect(last.naiveBytes).toBe((20 / 12) * target(last));
  });
});

describe('workbench rewrite (no GPU)', () => {
  const storage = [
    { name: 'x', binding: 0, elemBytes: 4, count: 0 },
    { name: 'y', binding: 1, elemBytes: 16, count: 0 },
  ];
  const src = [
    'fn main() {',
    '  y[i] = vec4f(x[j]);',
    '  y[i].x += 1.0;',
    '  let a = y[x[0]].y;',
    '  for (var k = 0u; k < 4u; k++) { }',
    '}',
  ].join('\n');
  const out = instrument(src, { entry: 'main', storage, countTraffic: true, loopLimit: 100, barrierLoopLimit: 10 });

  it('classifies stores, loads and read-modify-writes, including nested indices', () => {
    expect(out).toContain('y[_wb_w_y(u32(i))] = vec4f(x[_wb_r_x(u32(j))]);');
    expect(out).toContain('y[_wb_rw_y(u32(i))].x += 1.0;');
    expect(out).toContain('let a = y[_wb_r_y(u32(x[_wb_r_x(u32(0))]))].y;');
    expect(out).toContain('{ if (_wb_guard()) { break; } }');
  });

  it('keeps every user line on its own line number, so compiler messages still point at the user code', () => {
    const lines = out.split('\n');
    src.split('\n').forEach((l, i) =>
      expect(
        lines[i]
          .replace(/_wb_\w+\(u32\(|\)\)|_wb_flush\(\); | if \(_wb_guard\(\)\) \{ break; \}/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      ).toBe(l.replace(/\s+/g, ' ').trim()),
    );
  });

  it('guards loops that contain barriers with a uniform per-loop counter', () => {
    const b = instrument('fn main() {\n  for (var t = 0u; t < 4u; t++) { workgroupBarrier(); }\n}', {
      entry: 'main',
      storage: [],
      countTraffic: false,
      loopLimit: 100,
      barrierLoopLimit: 10,
    });
    expect(b).toContain('var _wb_g0: u32 = 0u; for (var t = 0u; t < 4u; t++) { _wb_g0 += 1u; if (_wb_g0 > 10u)');
  });

  it('finds workgroup arrays and their counts as written', () => {
    const src =
      'const T = 16u;\nvar<workgroup> As: array<array<f32, T>, T>;\nvar<workgroup> Ks: array<f32, TK * D>;\nvar<workgroup> m: array<f32, max(4u, 8u)>;\nvar<private> p: array<f32, 4>;';
    expect(workgroupArrays(src)).toEqual([
      { name: 'As', count: 'T' },
      { name: 'Ks', count: 'TK * D' },
      { name: 'm', count: 'max(4u, 8u)' },
    ]);
  });

  it('round-trips code through the compressed share-link hash, per exercise', () => {
    const code = findExercise('attention-block').solution;
    const enc = encodeCode('attention-block', code);
    expect(enc).toMatch(/^attention-block\.[A-Za-z0-9_-]+$/);
    expect(enc.length).toBeLessThan(code.length);
    expect(decodeCode('attention-block', enc)).toBe(code);
    expect(codeFromHash('attention-block', `#wb=${enc}`)).toBe(code);
    // Another exercise's code, or a mangled link, is ignored rather than loaded.
    expect(decodeCode('tiled-matmul', enc)).toBeNull();
    expect(decodeCode('attention-block', 'attention-block.not-deflate')).toBeNull();
    expect(codeFromHash('attention-block', '#other=1')).toBeNull();
  });

  it('evaluates the exercises’ size expressions', () => {
    expect(evaluate('ceil(n / wg.x)', { n: 100, 'wg.x': 64 })).toBe(2);
    expect(evaluate('4 * (M * K * ceil(N / 16) + K * N * ceil(M / 16))', { M: 33, N: 17, K: 40 })).toBe(
      4 * (33 * 40 * 2 + 40 * 17 * 3),
    );
    expect(() => evaluate('n +', { n: 1 })).toThrow(/Bad expression/);
    expect(() => evaluate('q', {})).toThrow(/Unknown name q/);
  });
});

describe('workbench time limit', () => {
  it('abandons a dispatch past the time limit, resets the device, and refuses to re-run that kernel', async () => {
    const rt = await testRuntime();
    const mm = findExercise('tiled-matmul');
    const generation = rt.generation;
    const r = await checkKernel(rt, mm, mm.starter, { timing: false, timeLimitMs: 1 });
    expect(r.status).toBe('timeout');
    expect(r.message).toMatch(/ran past the 0.001 s limit; the GPU device was reset/);
    // A re-run (the runtime retries tasks after a device loss) reports instead of running again.
    const again = await checkKernel(rt, mm, mm.starter, { timing: false });
    expect(again.status).toBe('timeout');
    await rt.ready();
    expect(rt.generation).toBeGreaterThan(generation);
    const ok = await checkKernel(rt, mm, mm.solution, { timing: false });
    expect(ok.status).toBe('pass');
  });
});
