/**
 * The trainer's glue between kernels (issue 29): attention heads between row and head layouts,
 * and the residual add. Both on caller buffers (GpuOp, src/kernels/op.ts).
 */
export { addCost, headsCost } from './cost';
export { createAddOp, createHeadsOp, type AddSlots, type HeadsSlots } from './host';
export { headsReference } from './reference';
export { GLUE_WG, type HeadsDims } from './shape';
