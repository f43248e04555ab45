/**
 * GELU (tanh form, the activation lab's gelu()) forward and backward for training (issue 29).
 *
 * On your own GPU buffers (z, y, dy, dz [rows, cols] float32; bias [cols]):
 *   const fwd = await createGeluForward(rt, { rows, cols }, { bias: true });
 *   fwd.encode(pass, { z, bias, y });            // y = gelu(z + bias), z the matmul output (kept)
 *   const bwd = await createGeluBackward(rt, { rows, cols }, { bias: true });
 *   bwd.encode(pass, { z, bias, dy, dz });       // dz = dy·gelu'(z + bias); dbias = createBiasGrad on dz
 * Without { bias: true } the slots are { z, y } and { z, dy, dz }. Elementwise, so deterministic.
 */
export { geluBackwardCost, geluForwardCost } from './cost';
export { createGeluBackward, createGeluForward, type GeluBackwardSlots, type GeluForwardSlots } from './host';
export { checkGelu, GELU_WG, type GeluDims } from './limits';
export { GELU_TOLERANCE, gelu64, geluBackward, geluForward, geluGrad64 } from './reference';
export { geluSource } from './source';
