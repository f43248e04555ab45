/**
 * Attention backward for training (issue 29): FlashAttention-2 style with recomputation (P is
 * rebuilt from the forward's lse, never stored), split into a dK/dV kernel by key block and a dQ
 * kernel by query block so that no float atomics are needed and every gradient is the same bits
 * on every run (shaders/attentionbackward/dkv.wgsl says why).
 *
 * On your own GPU buffers (q, k, v, o, dout, dq, dk, dv [bh, n, d] float32; lse [bh, n]: the
 * layout shaders/attention/flash.wgsl reads and writes, so its O and LSE feed this directly):
 *   const bwd = await createAttentionBackward(rt, { bh, n, d, causal: true });
 *   bwd.encode(pass, { q, k, v, o, lse, dout, dq, dk, dv });   // three dispatches
 * Any head dimension up to 128; the block size follows workgroup memory (backwardTile).
 *
 * The forward that feeds it, on the same buffers (flash.wgsl at d = 32, 64, 128; a plain
 * online-softmax kernel at other head dimensions):
 *   const fwd = await createAttentionForward(rt, { bh, n, d, causal: true });
 *   fwd.encode(pass, { q, k, v, o, lse });
 */
export { attentionBackwardCost, attentionForwardCost, backwardPairs } from './cost';
export { createAttentionForward, type AttentionForwardOp, type AttentionForwardSlots } from './forward';
export { createAttentionBackward, type AttentionBackwardOp, type AttentionBackwardSlots } from './host';
export {
  backwardTile,
  backwardWorkgroupBytes,
  checkAttentionBackward,
  DELTA_WG,
  MAX_BACKWARD_HEAD_DIM,
  MAX_BACKWARD_TILE,
  type AttentionDims,
} from './limits';
export {
  ATTENTION_BACKWARD_TOLERANCE,
  attentionBackward64,
  attentionForward64,
  attentionScale,
  type AttentionBackward64,
  type AttentionForward64,
} from './reference';
export { attentionBackwardSource } from './source';
