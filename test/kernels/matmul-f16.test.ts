import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { LimitError } from '../../src/gpu/errors';
import {
  MATMUL_F16_TOLERANCE,
  f16Operand,
  matmulCost,
  matmulFeatureOffers,
  matmulReference,
  packF16,
  prepareMatmul,
  relativeError,
  type MatmulDims,
  type TileShape,
} from '../../src/kernels/matmul';
import { fromHalfBits } from '../../src/kernels/quant/half';
import { randomFloats, testRuntime } from '../helpers/gpu';

const rt = await testRuntime();
const hasF16 = rt.info.features.includes('shader-f16');
const noF16 = `skipped: ${rt.info.name} has no shader-f16`;

const SHAPES: TileShape[] = [
  { tileM: 64, tileN: 64, tileK: 32, blockM: 8, blockN: 4 },
  { tileM: 16, tileN: 16, tileK: 8, blockM: 4, blockN: 4 },
];
// Ragged (K and N not multiples of 4: the element-by-element paths) and aligned (whole vec4s).
const DIMS: MatmulDims[] = [
  { M: 37, N: 29, K: 41 },
  { M: 40, N: 48, K: 64 },
];

describe('f16 matmul build (register-blocked vec4, f16 storage and arithmetic, f32 accumulation)', () => {
  it('packs f16 two to a word, low half first, padded to whole vec4<f16>', () => {
    const x = new Float32Array([1, -2, 0.5, 65504, 3]);
    const w = packF16(x);
    expect(w.length).toBe(4);
    const halves = Array.from(w).flatMap((u) => [u & 0xffff, u >>> 16]);
    expect(halves.map(fromHalfBits)).toEqual([1, -2, 0.5, 65504, 3, 0, 0, 0]);
  });

  it('is offered exactly where the adapter has shader-f16, with a reason where not', () => {
    const [offer] = matmulFeatureOffers(rt.info.features);
    expect(offer.offered).toBe(hasF16);
    if (!offer.offered) expect(offer.reason).toMatch(/no shader-f16/);
  });

  it.skipIf(hasF16)('is refused before compiling where the device has no shader-f16', async () => {
    const before = rt.pipelines.size;
    await expect(prepareMatmul(rt, 'register-blocked-vec4', DIMS[0], SHAPES[0], { build: 'f16' })).rejects.toThrow(
      LimitError,
    );
    expect(rt.pipelines.size).toBe(before);
    await expect(prepareMatmul(rt, 'tiled', DIMS[0], SHAPES[0], { build: 'f16' })).rejects.toThrow(
      /exists only for register-blocked-vec4/,
    );
  });

  for (const shape of SHAPES) {
    for (const dims of DIMS) {
      const name = `${dims.M}×${dims.N}×${dims.K}, tile ${shape.tileM}×${shape.tileN}×${shape.tileK} block ${shape.blockM}×${shape.blockN}`;
      it.skipIf(!hasF16)(
        `${name}: matches float64 on f16 inputs and counts 2-byte operands exactly${hasF16 ? '' : ` (${noF16})`}`,
        async () => {
          const a = randomFloats(dims.M * dims.K, 7);
          const b = randomFloats(dims.K * dims.N, 8);
          const k = await prepareMatmul(rt, 'register-blocked-vec4', dims, shape, {
            build: 'f16',
            instrumented: true,
            inputs: { a, b },
          });
          try {
            await runSteps(rt.device, k.steps);
            const got = await k.read();
            // The reference multiplies the values the kernel was given: A and B rounded to f16.
            const want = matmulReference(f16Operand(a), f16Operand(b), dims);
            const err = relativeError(got, want);
            expect(err).toBeLessThan(MATMUL_F16_TOLERANCE);
            // f16 arithmetic is really used: exact f32 products would agree to ~1e-6.
            expect(err).toBeGreaterThan(1e-6);
            const cost = matmulCost('register-blocked-vec4', dims, shape, 2);
            expect(k.cost).toEqual(cost);
            expect(await k.counters.read()).toEqual({ bytesRead: cost.bytesRead, bytesWritten: cost.bytesWritten });
          } finally {
            k.dispose();
          }
        },
        180_000,
      );
    }
  }
});
