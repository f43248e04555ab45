/**
 * The linear layer's products for training (issue 29), on the register-blocked matmul
 * (shaders/matmul/register_blocked.wgsl, extended with TRANSPOSE_A and ACCUMULATE overrides).
 *
 * On your own GPU buffers (float32 row-major; X [M, K], W [K, N], Y and dY [M, N], b [N]):
 *   const mm = await createMatmulOp(rt, { M, N, K });                 // Y = X·W
 *   mm.encode(pass, { a: x, b: w, c: y });
 *   const head = await createMatmulOp(rt, { M, N: vocab, K: C, transposeB: true }); // logits = H·wteᵀ
 *   const addB = await createAddBias(rt, { rows: M, cols: N });      // Y += b
 *   addB.encode(pass, { y, bias });
 *   const bwd = await createLinearBackward(rt, { M, K, N }, { bias: true, accumulateDx: true });
 *   bwd.encode(pass, { dy, x, w, dx, dw, db });                        // dX (+)= dY·Wᵀ, dW = Xᵀ·dY, db
 *   const bg = await createBiasGrad(rt, { rows, cols });              // db = Σ_rows dy alone
 * All deterministic: every output is one invocation's sum in a fixed order.
 */
export {
  addBiasCost,
  biasGradCost,
  COLUMN_CHUNK,
  columnChunks,
  columnSumCost,
  LINEAR_SHAPE,
  linearBackwardCost,
  linearBackwardDims,
} from './cost';
export {
  createAddBias,
  columnSumSteps,
  createBiasGrad,
  createLinearBackward,
  createMatmulOp,
  type AddBiasSlots,
  type BiasGradSlots,
  type LinearBackwardOptions,
  type LinearBackwardSlots,
  type LinearOptions,
  type MatmulSlots,
} from './host';
export { ADD_BIAS_WG, BIAS_GRAD_WG, checkBiasKernels, checkLinear, type LinearDims } from './limits';
export {
  LINEAR_TOLERANCE,
  linearBackward,
  linearBiasGrad,
  linearForward,
  matmul64,
  type LinearBackward,
  type MatmulDims64,
} from './reference';
export { linearSource } from './source';
