export {
  checkOverheadParams,
  DEFAULT_OVERHEAD,
  measureOverhead,
  OVERHEAD_REGIMES,
  REGIME_LABELS,
  type OverheadParams,
  type OverheadRegime,
  type OverheadResult,
  type OverheadRow,
} from './overhead';
