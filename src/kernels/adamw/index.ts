/**
 * AdamW with global-norm gradient clipping for training (issue 29).
 *
 * Keep every parameter in one flat float32 buffer (and its gradient, m and v likewise), so one
 * norm and one op cover the model; segments say where weight decay applies:
 *   const opt = await createAdamW(rt, n, { segments: [{ offset: 0, length: nMatrices, decay: true },
 *                                                     { offset: nMatrices, length: nRest, decay: false }] });
 *   opt.setHyper({ lr, beta1, beta2, eps, weightDecay, step, maxNorm, gradScale: 1 / S });  // each step
 *   opt.encode(pass, { params, grads, m, v, stats });   // stats [3] = norm, clip, skipped (overflow)
 * Deterministic: the norm's partials are a fixed grid-stride split merged by fixed trees.
 */
export { adamwCost } from './cost';
export { createAdamW, hyperWords, type AdamWOp, type AdamWSlots } from './host';
export { ADAMW_WG, checkAdamW, NORM_FINAL_WG, normGroups, type AdamWSegment } from './limits';
export {
  ADAMW_DEFAULTS,
  ADAMW_TOLERANCE,
  adamwStep,
  CLIP_EPS,
  clipFactor,
  decayMaskOf,
  globalNorm,
  type AdamWHyper,
  type AdamWResult,
} from './reference';
export { adamwSource } from './source';
