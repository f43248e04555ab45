/**
 * Softmax cross-entropy forward and backward for training (issue 29).
 *
 * On your own GPU buffers (logits, dlogits [rows, vocab] float32; targets [rows] u32 with
 * 0xFFFFFFFF for an unscored row; losses, lse [rows]; stats [2] = mean loss, scored rows):
 *   const fwd = await createCrossEntropyForward(rt, { rows, vocab });
 *   fwd.encode(pass, { logits, targets, losses, lse, stats });      // per-row loss, then the mean
 *   const bwd = await createCrossEntropyBackward(rt, { rows, vocab });
 *   bwd.encode(pass, { logits, targets, lse, stats, dlogits });     // (softmax − onehot)·dLoss/scored
 *   bwd.setLossScale(1024);                                          // dLoss, for loss scaling
 * Read stats back for the curve: one 8-byte copy per step. Deterministic (fixed reduction trees).
 */
export { crossEntropyBackwardCost, crossEntropyForwardCost } from './cost';
export {
  createCrossEntropyBackward,
  createCrossEntropyForward,
  type CrossEntropyBackwardOp,
  type CrossEntropyBackwardSlots,
  type CrossEntropyForwardSlots,
} from './host';
export { CE_MEAN_WG, CE_ROW_WG, checkCrossEntropy, type CrossEntropyDims } from './limits';
export {
  CROSS_ENTROPY_TOLERANCE,
  crossEntropyBackward,
  crossEntropyForward,
  gpuTargets,
  IGNORE_TARGET,
  isScored,
  type CrossEntropyForward,
} from './reference';
export { crossEntropySource } from './source';
