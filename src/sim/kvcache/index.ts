export * from './types';
export * from './workload';
export * from './traceParse';
export * from './costModel';
export {
  KvSimulator,
  simulate,
  validateConfig,
  CapacityError,
  MAX_SAMPLES,
  type SimSummary,
  type SimHooks,
} from './simulator';
export { InvariantError, PagedKv } from './pagedKv';
export { ContiguousKv } from './contiguousKv';
export { packCell, unpackCell, type Cell } from './state';
export { mapRecorder, replayFrames, type MapFrame } from './record';
export { downsample, type Series } from './series';
export { StepLog, STEP_COLUMNS } from './stepLog';
export { Rng } from './rng';
