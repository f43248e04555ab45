export { decodeAttentionCost, type KvLayout } from './cost';
export { prepareDecodeAttention, workgroupBytes } from './host';
export { decodeAttentionReference, gatherContiguous, KV_TOLERANCE, makeDecodeBatch, pagedIndex, type DecodeBatch } from './reference';
export { measureDecodeAttention, type DecodeAttentionResult } from './measure';
