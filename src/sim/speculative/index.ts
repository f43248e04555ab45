export {
  bestGamma,
  expectedTokens,
  monotoneTimes,
  speedup,
  speedupByBatch,
  timeAt,
  verifyRatio,
  type BatchPoint,
  type TimedRows,
} from './model';
export { simulateSpeculative, type MonteCarloParams, type MonteCarloResult } from './montecarlo';
