import { compareOutputs } from '../../kernels/check';
import {
  DEFAULT_SHAPES,
  MATMUL_FEATURE_BUILDS,
  MATMUL_VARIANTS,
  f16Operand,
  matmulReference,
  prepareMatmul,
  seededMatrix,
  type MatmulDims,
  type MatmulFeatureBuild,
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
 * f16 kernel (src/kernels/quant/features.ts says why 5e-3). Then every feature build
 * (MATMUL_FEATURE_BUILDS), each under its own feature and tolerance.
 */
export function matmulCases(): SelfTestCase[] {
  return [...MATMUL_VARIANTS.map(variantCase), ...MATMUL_FEATURE_BUILDS.map(featureBuildCase)];
}

/**
 * Each feature build (MATMUL_FEATURE_BUILDS: f16 storage, split-K subgroup) at its default shape,
 * needing its feature before compiling (skipped with the build's own reason where it is missing),
 * compared with float64 on the values it multiplies and held to the build's own tolerance.
 */
function featureBuildCase(fb: MatmulFeatureBuild): SelfTestCase {
  const dims = MATMUL_DIMS;
  const rounded = fb.operandBytes === 2;
  return {
    family: 'matmul',
    variant: `${fb.variant}+${fb.build}`,
    shape: `M=${dims.M} N=${dims.N} K=${dims.K}, ${tileText(fb.shape)}`,
    tolerance: () => fb.tolerance,
    needs: [{ feature: fb.feature, reason: fb.notOffered }],
    async prepare(rt) {
      const a = seededMatrix(dims.M * dims.K, 1);
      const b = seededMatrix(dims.K * dims.N, 2);
      const k = await prepareMatmul(rt, fb.variant, dims, fb.shape, { build: fb.build, inputs: { a, b } });
      return {
        steps: k.steps,
        async outputs() {
          const want = rounded ? matmulReference(f16Operand(a), f16Operand(b), dims) : matmulReference(a, b, dims);
          return [{ name: 'C', check: compareOutputs(await k.read(), want) }];
        },
        dispose: () => k.dispose(),
      };
    },
  };
}

function variantCase(variant: (typeof MATMUL_VARIANTS)[number]): SelfTestCase {
  const dims = MATMUL_DIMS;
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
}
