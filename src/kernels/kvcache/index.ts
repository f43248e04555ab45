export { decodeAttentionCost, type KvLayout } from './cost';
export { decodeParamWords, prepareDecodeAttention } from './host';
export { maxContext, workgroupBytes } from './limits';
export { kvSource } from './source';
export {
  decodeAttentionReference,
  gatherContiguous,
  KV_TOLERANCE,
  makeDecodeBatch,
  pagedIndex,
  type DecodeBatch,
} from './reference';
export { measureDecodeAttention, type DecodeAttentionResult } from './measure';
