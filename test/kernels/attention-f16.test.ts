import { describe, expect, it } from 'vitest';
import flashWgsl from '../../shaders/attention/flash.wgsl?raw';
import { runSteps } from '../../src/gpu/dispatch';
import { LimitError } from '../../src/gpu/errors';
import {
  attentionInputs,
  attentionReference,
  attentionSource,
  createAttentionInputs,
  flashCost,
  prepareFlash,
  type AttentionShape,
  type FlashTile,
} from '../../src/kernels/attention';
import { fixedTripLoops } from '../../src/kernels/loops';
import { f16Operand } from '../../src/kernels/matmul';
import { maxAbsError } from '../../src/kernels/measure';
import { enabledFeatures } from '../../src/selftest/probe';
import { testRuntime } from '../helpers/gpu';

const rt = await testRuntime();
const hasF16 = rt.info.features.includes('shader-f16');
const noF16 = `skipped: ${rt.info.name} has no shader-f16`;

// Ragged N against both tiles, causal and full, one and two rows per invocation.
const CASES: [AttentionShape, FlashTile][] = [
  [
    { bh: 2, n: 50, d: 32, causal: true },
    { br: 16, bc: 16 },
  ],
  [
    { bh: 1, n: 37, d: 64, causal: false },
    { br: 8, bc: 32, rows: 1 },
  ],
];

describe('tiled attention, f16 storage (Q, K, V as f16, all math in f32)', () => {
  it('is the same kernel retyped: f16 enabled on line 1, line numbers kept, run-time loop bounds only', () => {
    const src = attentionSource('flash', { d: 32, tile: CASES[0][1], storage: 'f16' });
    expect(enabledFeatures(src.code)).toEqual(['shader-f16']);
    expect(src.code.split('\n').length).toBe(flashWgsl.split('\n').length);
    expect(src.code).toMatch(/^alias QKV = vec4<f16>;$/m);
    expect(fixedTripLoops(src.code)).toEqual([]);
  });

  it.skipIf(hasF16)('is refused before uploading or compiling where the device has no shader-f16', async () => {
    const [s] = CASES[0];
    const { q, k, v } = attentionInputs(s, 5);
    const before = rt.pipelines.size;
    await expect(createAttentionInputs(rt, s, q, k, v, { storage: 'f16' })).rejects.toThrow(LimitError);
    await expect(createAttentionInputs(rt, s, q, k, v, { storage: 'f16' })).rejects.toThrow(/no shader-f16/);
    expect(rt.pipelines.size).toBe(before);
  });

  for (const [s, tile] of CASES) {
    const name = `N=${s.n}, d=${s.d}, ${s.causal ? 'causal' : 'full'}, Br=${tile.br}, Bc=${tile.bc}, rows=${tile.rows ?? 2}`;
    it.skipIf(!hasF16)(
      `${name}: matches float64 on the f16 inputs, counts 2-byte Q, K, V exactly${hasF16 ? '' : ` (${noF16})`}`,
      async () => {
        const { q, k, v } = attentionInputs(s, 5);
        const inputs = await createAttentionInputs(rt, s, q, k, v, { storage: 'f16' });
        const flash = await prepareFlash(rt, inputs, tile, { instrumented: true });
        try {
          await runSteps(rt.device, flash.steps);
          // The kernel multiplies the f16-rounded values exactly (widened to f32), so against the
          // reference on those values only f32 math error remains: the f32 kernel's tolerance.
          const ref = attentionReference(s, f16Operand(q), f16Operand(k), f16Operand(v));
          expect(maxAbsError(await flash.read(), ref.out).error).toBeLessThan(2e-5);
          expect(maxAbsError(await flash.readLse(), ref.lse).error).toBeLessThan(1e-4);
          // f16 storage is really used: against the unrounded inputs the outputs move by ~1e-3.
          expect(maxAbsError(await flash.read(), attentionReference(s, q, k, v).out).error).toBeGreaterThan(1e-5);
          const cost = flashCost(s, tile, 2);
          expect(flash.cost).toEqual(cost);
          expect(cost.bytesRead * 2).toBe(flashCost(s, tile).bytesRead);
          expect(await flash.counters.read()).toEqual({ bytesRead: cost.bytesRead, bytesWritten: cost.bytesWritten });
        } finally {
          flash.dispose();
          inputs.dispose();
        }
      },
      180_000,
    );
  }
});
