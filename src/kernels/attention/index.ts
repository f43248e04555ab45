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
  threeSweepCost,
  threeSweepCostParts,
  textbookTiles,
  TEXTBOOK_TILE,
  tiledOverTextbookLimit,
  tileVisited,
  visiblePairs,
  type StandardCostParts,
} from './cost';
export { prepareTextbook, textbookSources, type PreparedTextbook, type TextbookInputs } from './textbook';
/** The standard path is the textbook algorithm (Dao et al. 2022, Algorithm 0). */
export { prepareTextbook as prepareStandard } from './textbook';
export {
  checkFlashTile,
  checkHeadDim,
  largestTile,
  flashInvocations,
  flashPeakBytes,
  flashWorkgroupBytes,
  scoreMatrixBytes,
  standardPeakBytes,
  standardRefusal,
} from './memory';
export { attentionReference, type AttentionReference } from './reference';
export {
  FLASH_F16_NOT_OFFERED,
  attentionSource,
  createAttentionInputs,
  prepareFlash,
  prepareThreeSweep,
  type AttentionInputs,
  type PreparedAttention,
  type PreparedFlash,
  type PrepareOptions,
} from './host';
export { ATTENTION_TOLERANCE, referenceRow, sampledRowsCheck } from './reference';
export { traceRow, type OnlineStep, type RowTrace } from './trace';
export { attentionInputs, seededFloats } from './inputs';
