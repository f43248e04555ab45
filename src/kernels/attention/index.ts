export * from './shape';
export {
  algorithm0Cost,
  flashCost,
  keyBlocksVisited,
  oneReadSoftmaxShape,
  standardCost,
  standardCostParts,
  textbookCost,
  textbookCostParts,
  textbookTiles,
  TEXTBOOK_TILE,
  tiledOverTextbookLimit,
  tileVisited,
  visiblePairs,
  type StandardCostParts,
} from './cost';
export { prepareTextbook, textbookSources, type PreparedTextbook, type TextbookInputs } from './textbook';
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
export { ATTENTION_TOLERANCE, referenceRow, sampledRowsCheck } from './reference';
export { traceRow, type OnlineStep, type RowTrace } from './trace';
export { attentionInputs, seededFloats } from './inputs';
