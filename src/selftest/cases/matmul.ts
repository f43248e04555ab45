import { compareOutputs } from '../../kernels/check';
import {
  DEFAULT_SHAPES,
  MATMUL_VARIANTS,
  matmulReference,
  prepareMatmul,
  seededMatrix,
  type MatmulDims,
  type TileShape,
} from '../../kernels/matmul';
import { MATMUL_TOLERANCE } from '../../kernels/matmul/reference';
import { F16_ARITH_TOLERANCE, halfRound } from '../../kernels/quant';
import type { SelfTestCase } from '../types';

/** Ragged against every default tile (16, 64) and K step (1, 16, 32), as test/kernels/matmul.test.ts. */
export const MATMUL_DIMS: MatmulDims = { M: 37, N: 29, K: 41 };

const tileText = (s: TileShape) => `tile ${s.tileM}×${s.tileN}×${s.tileK} block ${s.blockM}×${s.blockN}`;

/**
 * Every variant in the matmul kernel's own list (MATMUL_VARIANTS) at its default tile shape, the
 * shape the tiling lab runs. A variant whose WGSL enables f16 is compared with its operands rounded
 * to f16 (an f16-storage kernel sees those values) and held to the f16 tolerance of the quantized
 * f16 kernel (src/kernels/quant/features.ts says why 5e-3).
 */
export function matmulCases(): SelfTestCase[] {
  const dims = MATMUL_DIMS;
  return MATMUL_VARIANTS.map((variant) => {
    const shape = DEFAULT_SHAPES[variant];
    return {
      family: 'matmul',
      variant,
      shape: `M=${dims.M} N=${dims.N} K=${dims.K}, ${tileText(shape)}`,
      tolerance: (f) => (f.has('shader-f16') ? F16_ARITH_TOLERANCE : MATMUL_TOLERANCE),
      async prepare(rt) {
        const a = seededMatrix(dims.M * dims.K, 1);
        const b = seededMatrix(dims.K * dims.N, 2);
        const k = await prepareMatmul(rt, variant, dims, shape, { inputs: { a, b } });
        return {
          steps: k.steps,
          async outputs(f) {
            const f16 = f.has('shader-f16');
            const want = f16
              ? matmulReference(Float32Array.from(a, halfRound), Float32Array.from(b, halfRound), dims)
              : matmulReference(a, b, dims);
            return [{ name: 'C', check: compareOutputs(await k.read(), want) }];
          },
          dispose: () => k.dispose(),
        };
      },
    };
  });
}
