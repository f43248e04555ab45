/**
 * Weight-only quantized GEMV/GEMM (y = x·Wᵀ) for the decode lab: f32, f16, int8 per channel,
 * int4 group-wise symmetric and with zero points; CPU quantizers (RTN and an AWQ-style scale
 * search), float64 references, an exact traffic model and synthetic layer data.
 *
 *   const packed = quantize('int4', w, N, K, 32);       // CPU, RTN
 *   const wb = await uploadWeights(rt, packed);         // once per weight matrix
 *   const k = await prepareGemv(rt, wb, M, { x });      // per M
 *   // compare k.read() with gemvReference(x, dequantize(packed), M, N, K)
 */
export { awqSearch, scaleColumns, unscaleActivations, type AwqSearch, type AwqPoint } from './awq';
export { gemvCost, type GemvCost } from './cost';
export {
  F16_ARITH_TOLERANCE,
  FEATURE_BUILDS,
  featureBuild,
  featureOffers,
  featureReferenceInput,
  SUBGROUP_TOLERANCE,
  type FeatureBuild,
  type FeatureOffer,
  type GemvBuild,
  type OptionalFeature,
} from './features';
export { fromHalfBits, halfRound, toHalfBits } from './half';
export {
  prepareGemv,
  splitProblem,
  uploadWeights,
  type GemvOptions,
  type PreparedGemv,
  type WeightBuffers,
} from './host';
export { activations, channelGains, layerWeights, OUTLIER_FRACTION, OUTLIER_GAIN } from './inputs';
export {
  dequantize,
  packedBytes,
  packF16,
  packF32,
  quantize,
  quantizeGroup,
  quantizeInt4,
  quantizeInt8,
} from './quantize';
export { errorStats, gemvReference, pickColumns, sampleColumns, type ErrorStats } from './reference';
export { gemvSource } from './source';
export {
  bytesPerWeight,
  defaultShape,
  GROUP_SIZES,
  kMultiple,
  QUANT_VARIANTS,
  shapeProblem,
  SHORT_LABELS,
  VARIANT_LABELS,
  type GemvShape,
  type PackedWeights,
  type QuantDims,
  type QuantVariant,
} from './types';
