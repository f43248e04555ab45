import { describe, expect, it } from 'vitest';
import flashWgsl from '../../shaders/attention/flash.wgsl?raw';
import {
  attentionReference,
  createAttentionInputs,
  prepareFlash,
  type AttentionShape,
} from '../../src/kernels/attention';
import { BUILD_BUDGET_MS, measureBuild, withinBuildBudget } from '../../src/kernels/buildCost';
import { fixedTripLoops } from '../../src/kernels/loops';
import { maxAbsError } from '../../src/kernels/measure';
import { randomFloats, testRuntime } from '../helpers/gpu';

describe('loops with a build-time trip count (what lazy LLVM drivers unroll)', () => {
  it('finds const- and override-bounded loops and leaves run-time ones', () => {
    const code = [
      'override BC: u32 = 32;',
      'const D4: u32 = 16u;',
      'fn f(n: u32, t: u32) {',
      '  for (var j = 0u; j < BC; j += 4u) {}',
      '  for (var c = 0u; c < D4 * 2u; c++) {}',
      '  for (var k = 0u; k < n; k++) {}',
      '  for (var e = t; e < BC * D4; e += 8u) {}',
      '}',
    ].join('\n');
    expect(fixedTripLoops(code).map((l) => l.line)).toEqual([4, 5]);
  });

  it('the tiled attention kernel has none: its build does not grow with Bc or d', () => {
    expect(fixedTripLoops(flashWgsl)).toEqual([]);
  });
});

describe('measureBuild: pipeline creation and first dispatch per variant', () => {
  it('returns the prepared kernel, still correct, and its build time from the stages it timed', async () => {
    const rt = await testRuntime();
    const s: AttentionShape = { bh: 1, n: 20, d: 32, causal: true };
    const len = s.bh * s.n * s.d;
    const [q, k, v] = [1, 2, 3].map((seed) => randomFloats(len, seed));
    const inputs = await createAttentionInputs(rt, s, q, k, v);
    try {
      const { kernel, cost } = await measureBuild(rt.device, () => prepareFlash(rt, inputs, { br: 8, bc: 4, rows: 1 }));
      try {
        // The kernel ran twice inside measureBuild; its output is the finished result.
        expect(maxAbsError(await kernel.read(), attentionReference(s, q, k, v).out).error).toBeLessThan(2e-5);
      } finally {
        kernel.dispose();
      }
      for (const ms of [cost.prepareMs, cost.firstRunMs, cost.warmRunMs]) expect(ms).toBeGreaterThanOrEqual(0);
      expect(cost.buildMs).toBeCloseTo(cost.prepareMs + Math.max(0, cost.firstRunMs - cost.warmRunMs), 9);
      expect(withinBuildBudget({ buildMs: BUILD_BUDGET_MS })).toBe(true);
      expect(withinBuildBudget({ buildMs: BUILD_BUDGET_MS + 1 })).toBe(false);
    } finally {
      inputs.dispose();
    }
  });
});
