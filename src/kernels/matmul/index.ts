/**
 * Matrix multiply, C = A·B, in four variants (naive, workgroup-tiled, register-blocked, and register-blocked with vec4 accesses) with
 * tile sizes as override constants, a CPU reference, an exact traffic model and limit checks.
 *
 * Reuse from other labs (attention's S = Q·Kᵀ): pass `transposeB: true` in the dims and hand in
 * GPU buffers you own, e.g.
 *   prepareMatmul(rt, 'register-blocked', { M: seq, N: seq, K: headDim, transposeB: true },
 *                 DEFAULT_SHAPES['register-blocked'], { inputs: { a: q, b: k, c: scores } })
 * Buffers passed in are bound, not copied, and not destroyed by dispose().
 */
export { matmulCost, reuseFactor, compulsoryBytes, tileStepTraffic } from './cost';
export { prepareMatmul, type MatmulInputs, type MatmulOptions, type PreparedMatmul } from './host';
export { matmulReference, matmulReferenceAt, relativeError, samplePositions, seededMatrix } from './reference';
export { matmulSource } from './source';
export {
  MATMUL_F16_TOLERANCE,
  MATMUL_FEATURE_BUILDS,
  MATMUL_SUBGROUP_TOLERANCE,
  f16Operand,
  matmulFeatureBuild,
  matmulFeatureOffers,
  packF16,
  type MatmulBuild,
  type MatmulFeatureBuild,
  type MatmulFeatureOffer,
} from './features';
export {
  DEFAULT_SHAPES,
  MATMUL_VARIANTS,
  VARIANT_LABELS,
  effectiveShape,
  isVec4,
  type MatmulDims,
  type MatmulVariant,
  type TileShape,
} from './types';
export { SPLITK_MAX_OUTPUTS, splitKShapeProblem, splitKWorkgroupBytes } from './splitk';
export { checkShape, shapeProblem, workgroupBytes, workgroupSize } from './workgroup';
