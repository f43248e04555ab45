/** Per-step metrics in growable typed columns: a 10,000-request run has tens of thousands of steps. */
export const STEP_COLUMNS = [
  'time',
  'dt',
  'running',
  'waiting',
  'preempted',
  'allocatedSlots',
  'liveSlots',
  'overReservedSlots',
  'internalSlots',
  'externalFrag',
  'decodeTokens',
  'prefillTokens',
  'preemptions',
] as const;
export type StepColumn = (typeof STEP_COLUMNS)[number];

export class StepLog {
  length = 0;
  private cols: Record<StepColumn, Float64Array>;

  constructor(capacity = 1024) {
    this.cols = Object.fromEntries(STEP_COLUMNS.map((c) => [c, new Float64Array(capacity)])) as Record<StepColumn, Float64Array>;
  }

  /** Appends one row; values in STEP_COLUMNS order (positional, so long runs allocate nothing per step). */
  push(...values: number[]): void {
    if (this.length === this.cols.time.length) {
      for (const c of STEP_COLUMNS) {
        const bigger = new Float64Array(this.length * 2);
        bigger.set(this.cols[c]);
        this.cols[c] = bigger;
      }
    }
    for (let i = 0; i < STEP_COLUMNS.length; i++) this.cols[STEP_COLUMNS[i]][this.length] = values[i];
    this.length++;
  }

  col(c: StepColumn): Float64Array {
    return this.cols[c].subarray(0, this.length);
  }
}
