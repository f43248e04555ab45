/**
 * LayerNorm forward and backward for training (issue 29).
 *
 * Encode on your own GPU buffers (float32, row-major; x, y, dy, dx [rows, cols]; gamma, beta,
 * dgamma, dbeta [cols]; mean, rstd [rows]):
 *   const fwd = await createLayerNormForward(rt, { rows, cols });     // pipeline compiled once
 *   fwd.encode(pass, { x, gamma, beta, y, mean, rstd });
 *   const bwd = await createLayerNormBackward(rt, { rows, cols });
 *   bwd.encode(pass, { dy, x, gamma, mean, rstd, dx, dgamma, dbeta }); // two dispatches
 *   createLayerNormBackward(rt, dims, { accumulate: true })             // dx += … (residual gradient)
 * Both are deterministic (fixed reduction order). `prepareOp` (src/kernels/op.ts) wraps either in
 * a PreparedKernel with its own buffers, for checks and tests.
 */
export { layerNormBackwardCost, layerNormForwardCost } from './cost';
export {
  createLayerNormBackward,
  createLayerNormForward,
  type LayerNormBackwardSlots,
  type LayerNormForwardSlots,
  type LayerNormOptions,
} from './host';
export { checkLayerNorm, LAYERNORM_WG, layerNormWorkgroupBytes, type LayerNormDims } from './limits';
export {
  LAYERNORM_EPS,
  LAYERNORM_TOLERANCE,
  layerNormBackward,
  layerNormForward,
  type LayerNormBackward,
  type LayerNormForward,
} from './reference';
export { layerNormSource } from './source';
