/**
 * Token-major rows ↔ attention's head-major layout, for training (issue 29). The QKV matmul writes
 * [B, T, 3C]; flash.wgsl and the attention backward read [B·H, T, d]:
 *   const toQ = await createHeadPermute(rt, { batch, seq, heads, headDim, stride: 3 * C, offset: 0 }, 'heads');
 *   toQ.encode(pass, { rows: qkv, heads: q });                  // likewise offset C → k, 2C → v
 *   const merge = await createHeadPermute(rt, { …, stride: C, offset: 0 }, 'rows');
 *   merge.encode(pass, { heads: o, rows: attnOut });             // O back to [B, T, C]
 * The backward uses the opposite direction of each (dO from rows to heads; dQ, dK, dV into dQKV).
 */
export { headsCost } from './cost';
export { createHeadPermute, type HeadsSlots } from './host';
export { checkHeads, HEADS_WG, type HeadLayout } from './limits';
export { fromHeads, HEADS_TOLERANCE, toHeads } from './reference';
export { headsSource } from './source';
