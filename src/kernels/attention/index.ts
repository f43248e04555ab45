export * from './shape';
export { flashCost, keyBlocksVisited, standardCost, standardCostParts, tileVisited, visiblePairs, type StandardCostParts } from './cost';
export { checkFlashTile, checkHeadDim, flashPeakBytes, flashWorkgroupBytes, scoreMatrixBytes, standardPeakBytes, standardRefusal } from './memory';
export { attentionReference, type AttentionReference } from './reference';
export {
  attentionSource,
  createAttentionInputs,
  prepareFlash,
  prepareStandard,
  type AttentionInputs,
  type PreparedAttention,
  type PreparedFlash,
  type PrepareOptions,
} from './host';
export { referenceRow, sampledRowsError } from './reference';
export { traceRow, type OnlineStep, type RowTrace } from './trace';
export { attentionInputs, seededFloats } from './inputs';
