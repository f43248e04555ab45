export { CAST_ELEMS_PER_THREAD, CAST_WORKGROUP, STAT_SLOTS, castCost } from './cost';
export { MAX_SCALE_LOG2, checkCast, checkScale, compareBits, prepareCast, type PreparedCast } from './host';
export { edgeCases, logNormalGradient, type GradientSpec } from './inputs';
export {
  DEFAULT_LOSS_SCALE,
  checkLossScaleConfig,
  nextScale,
  simulateLossScale,
  type LossScaleConfig,
  type LossScaleRun,
  type LossScaleStep,
} from './lossScale';
export {
  BF16,
  FP16,
  bitsToF32,
  castCounts,
  castReference,
  decode,
  emptyCounts,
  f32Bits,
  formatRange,
  roundToFormat,
  type CastStats,
  type FloatFormat,
  type FormatCounts,
} from './reference';
