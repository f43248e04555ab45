export { decodeAttentionCost, type KvLayout } from './cost';
export { prepareDecodeAttention, workgroupBytes } from './host';
export { decodeAttentionReference, gatherContiguous, makeDecodeBatch, pagedIndex, type DecodeBatch } from './reference';
export { measureDecodeAttention, type DecodeAttentionResult } from './measure';
